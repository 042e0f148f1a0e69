package io.innkeeper.local.chaos;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime's fault injector: decides, from its seed, whether a fault strikes at a point where it
 * can, and counts every fault it injected. It sits in the runtime's plumbing (pollers, the SDK
 * clients of the functions), never in domain code.
 *
 * <p>Decisions come from one seeded generator, so a run with the same seed and the same order of
 * decisions repeats exactly; with concurrent pollers the order can vary, and the seed still bounds
 * what is injected and how often.
 */
public final class Chaos {
  private static final Chaos OFF = new Chaos(ChaosConfig.none());

  private final ChaosConfig config;
  private final SplittableRandom random;
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final Map<String, AtomicLong> variants = new ConcurrentHashMap<>();
  private final java.util.List<java.util.function.Consumer<String>> observers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * The chaos of the function invocation running on this thread, if any; inherited by the threads
   * an invocation starts, whose AWS calls fail as the invocation's would.
   */
  private static final ThreadLocal<Chaos> CURRENT = new InheritableThreadLocal<>();

  /** When this chaos started: the outages' windows count from here. */
  private final long startedNanos = System.nanoTime();

  /** Outages started while running ({@link #failFor}): function to the end of its window. */
  private final Map<String, Long> outagesUntil = new ConcurrentHashMap<>();

  public Chaos(ChaosConfig config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  /**
   * Runs {@code body} (one function invocation) with {@code chaos} deciding the faults of the AWS
   * calls it makes on this thread ({@link DynamoDbChaosInterceptor}, {@link SqsChaosInterceptor}).
   */
  public static <T> T during(Chaos chaos, java.util.concurrent.Callable<T> body) throws Exception {
    Chaos previous = CURRENT.get();
    CURRENT.set(chaos);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The chaos bound to this thread's invocation, or {@code null} outside one. */
  static Chaos current() {
    return CURRENT.get();
  }

  /** A chaos that never strikes. */
  public static Chaos off() {
    return OFF;
  }

  public ChaosConfig config() {
    return config;
  }

  /** Whether {@code fault} strikes now; counted when it does. */
  public boolean strikes(Fault fault) {
    double rate = config.rate(fault);
    if (rate <= 0) {
      return false;
    }
    boolean hit;
    synchronized (random) {
      hit = random.nextDouble() < rate;
    }
    if (hit) {
      injected.get(fault).incrementAndGet();
      tell(fault.key());
    }
    return hit;
  }

  /**
   * Calls {@code observer} with the key of every fault ({@link Fault#key()}) and variant ({@link
   * #note}) injected from now on, on the thread it struck, so it can tell whose work it hit (the
   * local console shows each injection where it happened). It must be quick and must not throw.
   *
   * @return ends the observation
   */
  public Runnable onInjection(java.util.function.Consumer<String> observer) {
    observers.add(java.util.Objects.requireNonNull(observer));
    return () -> observers.remove(observer);
  }

  private void tell(String key) {
    for (var observer : observers) {
      try {
        observer.accept(key);
      } catch (RuntimeException ignored) {
        // An observer only watches; it never changes what chaos does.
      }
    }
  }

  /**
   * Makes {@code function} fail every invocation from now on for {@code length}: an outage started
   * by a test or a benchmark at the moment it chooses, beside those the config names.
   */
  public void failFor(String function, java.time.Duration length) {
    outagesUntil.put(function, System.nanoTime() + length.toNanos());
  }

  /**
   * Whether {@code function} is in an outage now (the config's windows or {@link #failFor}); an
   * invocation that asks and is told so is counted as a {@link Fault#FUNCTION_OUTAGE}.
   */
  public boolean inOutage(String function) {
    long now = System.nanoTime();
    boolean out = false;
    Long until = outagesUntil.get(function);
    if (until != null && now < until) {
      out = true;
    }
    java.time.Duration since = java.time.Duration.ofNanos(now - startedNanos);
    for (ChaosConfig.Outage o : config.outages()) {
      if (o.function().equals(function)
          && since.compareTo(o.start()) >= 0
          && since.compareTo(o.start().plus(o.length())) < 0) {
        out = true;
      }
    }
    if (out) {
      injected.get(Fault.FUNCTION_OUTAGE).incrementAndGet();
      tell(Fault.FUNCTION_OUTAGE.key());
    }
    return out;
  }

  /** A number in [0, bound) from the same seeded generator (e.g. where a batch "crashes"). */
  public int nextInt(int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  /** Counts one injection of a variant of a fault, e.g. a 500 after the write. */
  public void note(String variant) {
    variants.computeIfAbsent(variant, v -> new AtomicLong()).incrementAndGet();
    tell(variant);
  }

  /**
   * How often each variant of a fault was injected, by name, e.g. {@code dynamodb-5xx-after-write}
   * (a finer split of some of the {@link #injected()} counts).
   */
  public Map<String, Long> variants() {
    Map<String, Long> counts = new TreeMap<>();
    variants.forEach((v, n) -> counts.put(v, n.get()));
    return counts;
  }

  /** How many faults of each kind were injected so far. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    injected.forEach((f, n) -> counts.put(f, n.get()));
    return counts;
  }
}
