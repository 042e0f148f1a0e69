package io.innkeeper.perf.soak;

import io.innkeeper.client.HttpApi;
import io.innkeeper.core.domain.fixture.SoakWorkload;
import io.innkeeper.ops.RecordCheck;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The soak's side of its load ({@link SoakWorkload.SoakPort}): an HTTP client that sends a command
 * as a careful client does, with an {@code Idempotency-Key}, and sends it again with the same key
 * when the answer is a 5xx, a 429 or no answer at all, so a command whose intake failed halfway is
 * neither lost nor doubled; the tracking of every accepted command until it settles; and the
 * counting of what the clients saw.
 */
final class SoakApi implements SoakWorkload.SoakPort {
  /** Attempts per request before giving up. */
  static final int ATTEMPTS = 6;

  private final HttpApi plain;
  private final HttpApi retrying;
  private final SoakStats stats;
  private final StatusTracker tracker;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private final ConcurrentLinkedQueue<RecordCheck.Expected> expected =
      new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();

  /** The window of the client whose thread this is: freed when a command it watched settles. */
  private final ThreadLocal<Semaphore> window = new ThreadLocal<>();

  SoakApi(
      URI base,
      BiFunction<String, List<String>, String> tokens,
      SoakStats stats,
      StatusTracker tracker) {
    this.plain = new HttpApi(base, tokens);
    this.retrying =
        plain.retrying(
            ATTEMPTS,
            new HttpApi.Listener() {
              @Override
              public void answered(int status) {
                stats.answered(status);
              }

              @Override
              public void retried() {
                stats.retried();
              }
            });
    this.stats = stats;
    this.tracker = tracker;
  }

  /** Commands this thread's client watches free a slot of {@code slots} when they settle. */
  void bindWindow(Semaphore slots) {
    window.set(slots);
  }

  /** Commands the load expects to have taken effect on a given stream if they SUCCEEDED. */
  List<RecordCheck.Expected> expected() {
    return List.copyOf(expected);
  }

  /** Every command id answered 202. */
  List<String> acceptedIds() {
    return List.copyOf(accepted);
  }

  @Override
  public String key(String suffix) {
    return "soak-" + runId + "-" + suffix;
  }

  /** POSTs JSON with an idempotency key, retrying what a client may safely retry. */
  @Override
  public Answer post(String path, Caller caller, String idempotencyKey, Object body) {
    return retrying.post(path, caller, idempotencyKey, body);
  }

  @Override
  public Answer get(String path, Caller caller) {
    return plain.get(path, caller);
  }

  @Override
  public void watch(String commandId, String type, String stream, Consumer<String> onSettled) {
    if (stream != null) {
      expected.add(new RecordCheck.Expected(commandId, type, stream));
    }
    accepted.add(commandId);
    stats.accepted.increment();
    Semaphore slots = window.get();
    tracker.track(
        new StatusTracker.Tracked(
            commandId,
            type,
            System.nanoTime(),
            s -> {
              try {
                onSettled.accept(s.status());
              } finally {
                if (slots != null) {
                  slots.release();
                }
              }
            }));
  }

  @Override
  public void awaitSettled(Collection<String> commandIds, long deadlineNanos, String what)
      throws InterruptedException {
    while (tracker.pending().stream().anyMatch(t -> commandIds.contains(t.commandId()))) {
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException(what + " did not settle in time");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public boolean accepted(Answer answer, String what) {
    if (answer.status() == 202) {
      return true;
    }
    if (answer.status() == -1 || answer.status() >= 500 || answer.status() == 429) {
      stats.gaveUp.increment();
    } else {
      stats.unexpected(what + " answered " + answer.status() + ": " + answer.body());
    }
    return false;
  }

  @Override
  public void repeated(boolean sameCommand) {
    stats.repeats.increment();
    if (!sameCommand) {
      stats.repeatMismatches.increment();
    }
  }

  @Override
  public void refused() {
    stats.refused.increment();
  }

  @Override
  public void unexpected(String what) {
    stats.unexpected(what);
  }
}
