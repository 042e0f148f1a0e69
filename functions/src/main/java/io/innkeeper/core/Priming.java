package io.innkeeper.core;

import io.innkeeper.core.obs.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming for one function: work run just before Lambda snapshots the initialized
 * function, so the classes, compiled code and SDK client state that requests need are in the
 * snapshot rather than paid for by the first request after every restore.
 *
 * <p>A function lists named steps, and every step leaves data exactly as it found it: it routes a
 * synthetic request to an answer that changes nothing (a 400, a 404), reads a key that cannot
 * exist, or runs a write pipeline over {@link ReadOnly} views that stop it at its first write.
 * Steps run in order and each on its own: a step that fails is logged as one {@link Log} line and
 * the next one runs. Nothing is thrown, because a hook that throws fails the snapshot (and with it
 * the deployment), while a failed priming only makes the first requests slower.
 */
public final class Priming implements Resource {

  /**
   * An id that no stored item has: the system assigns ULIDs (26 upper-case Crockford characters),
   * and this one has lower case and a hyphen. It still matches the API's id pattern, so a request
   * carrying it gets past validation to the read.
   */
  public static final String ABSENT_ID = "snapstart-priming";

  /** One piece of priming. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private final String function;
  private final Map<String, Step> steps = new LinkedHashMap<>();

  /**
   * @param function the function's id as the logs name it, e.g. {@code command-api}
   */
  public Priming(String function) {
    this.function = function;
  }

  /** Adds a step, run after those added before it. */
  public Priming step(String name, Step step) {
    if (steps.putIfAbsent(name, step) != null) {
      throw new IllegalArgumentException("two priming steps are named " + name);
    }
    return this;
  }

  /** The steps' names, in the order they run. */
  public List<String> steps() {
    return List.copyOf(steps.keySet());
  }

  /**
   * Registers this with the CRaC global context, which holds resources weakly: the caller must keep
   * a reference (the handler's field) or the hook silently never runs. Off a CRaC runtime (tests,
   * the local runtime) registering does nothing.
   */
  public void register() {
    Core.getGlobalContext().register(this);
  }

  /**
   * Runs every step.
   *
   * @return the names of the steps that failed, each already logged
   */
  public List<String> run() {
    List<String> failed = new ArrayList<>();
    steps.forEach(
        (name, step) -> {
          // Quiet: the synthetic requests are not traffic, and must not log or count as such.
          try (Log.Scope quiet = Log.quiet()) {
            step.run();
          } catch (Exception | LinkageError e) {
            // A LinkageError too (a class missing from the jar): the first request will report it,
            // the snapshot must not fail over it.
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            failed.add(name);
            try (Log.Scope scope = Log.invocation(function)) {
              Log.warn("priming failed", e, "step", name);
            }
          }
        });
    return failed;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    run();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: priming keeps no state of its own, requests read the clock and draw ids
    // from SecureRandom when they run, and the SDK clients open new connections and renew
    // credentials by themselves when the ones from the snapshot are stale.
  }
}
