package io.innkeeper.local.lambda;

import io.innkeeper.local.chaos.Chaos;
import io.innkeeper.local.chaos.DynamoDbChaosInterceptor;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.Topology;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the topology's handler classes the way Lambda does. Each function has a pool of simulated
 * containers: a container is one handler instance, built with its no-argument constructor (the
 * "init" phase, where handlers build their SDK clients), used by one invocation at a time and kept
 * for the next. The pool grows when invocations overlap. An invocation that throws fails as {@link
 * FunctionError}; one that runs past the function's timeout fails too, and its container is thrown
 * away, as Lambda does.
 *
 * <p>Handlers read their environment from system properties that the runtime sets before the first
 * container starts (a JVM cannot change its own environment).
 *
 * <p>It enforces Lambda's limits on a synchronous invocation, which every invocation here is (API
 * Gateway's, and the event source mappings' own): the event must be smaller than 6,291,456 bytes
 * and the response no larger than 6,291,556 bytes, else the invocation fails as Lambda fails it.
 *
 * <p>With {@link Chaos} that injects AWS faults, each invocation runs with the host's chaos bound
 * to its thread, where {@link DynamoDbChaosInterceptor} and the SQS interceptor find it: the
 * functions' calls fail as the chaos decides, and nothing else in the JVM is touched. {@link
 * Fault#FUNCTION_TIMEOUT} is the host's own: a struck invocation starts with only the chaos's
 * headroom left of its timeout, as after a long pause, and is failed as timed out if it runs on.
 */
public final class FunctionHost implements FunctionInvoker, AutoCloseable {

  /**
   * The function whose invocation runs on this thread, for per-function SDK metering; inherited by
   * the threads an invocation starts (the projector writes a chunk's rows side by side), as their
   * calls are the function's too.
   */
  private static final ThreadLocal<String> INVOKING = new InheritableThreadLocal<>();

  private final Map<String, Function> functions = new LinkedHashMap<>();
  private final List<InvocationObserver> observers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ExecutorService executor;
  private final Chaos chaos;
  private final Chaos faults;
  private final Map<String, AtomicInteger> timeouts =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Lambda's limit on the event of a synchronous invocation ({@code RequestEntityTooLarge}). */
  public static final int MAX_REQUEST_BYTES = 6_291_456;

  /** Lambda's limit on the response of a synchronous invocation. */
  public static final int MAX_RESPONSE_BYTES = 6_291_556;

  public FunctionHost(Topology topology, ClassLoader loader) {
    this(topology, loader, Chaos.off());
  }

  /**
   * @param chaos the faults to inject into the functions' DynamoDB calls ({@link Chaos#off()}:
   *     none)
   */
  public FunctionHost(Topology topology, ClassLoader loader, Chaos chaos) {
    this.chaos = DynamoDbChaosInterceptor.affects(chaos) ? chaos : null;
    this.faults = chaos;
    for (FunctionSpec spec : topology.functions()) {
      functions.put(spec.id(), new Function(spec, loader));
    }
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "lambda-" + threads.incrementAndGet());
              t.setDaemon(true);
              t.setContextClassLoader(loader);
              return t;
            });
  }

  @Override
  public String invoke(String functionId, String eventJson) throws FunctionError {
    Function function = functions.get(functionId);
    if (function == null) {
      throw new IllegalArgumentException("no function " + functionId);
    }
    if (closed) {
      throw new FunctionError(functionId + ": the local runtime is shutting down", null);
    }
    if (observers.isEmpty()) {
      return function.invoke(eventJson);
    }
    long start = System.nanoTime();
    String answer = null;
    boolean failed = true;
    try {
      answer = function.invoke(eventJson);
      failed = false;
      return answer;
    } finally {
      long end = System.nanoTime();
      for (InvocationObserver observer : observers) {
        observer.invoked(functionId, eventJson, answer, failed, start, end);
      }
    }
  }

  /**
   * Sees every invocation once it ended, on the invoking thread: what a benchmark needs to time
   * handlers and to learn which records a projector applied, without polling the tables.
   */
  @FunctionalInterface
  public interface InvocationObserver {
    /**
     * @param answer the handler's response JSON; {@code null} when it failed (or returns nothing)
     * @param failed whether the invocation failed
     */
    void invoked(
        String functionId,
        String eventJson,
        String answer,
        boolean failed,
        long startNanos,
        long endNanos);
  }

  /** Adds an observer of every later invocation. */
  public void observe(InvocationObserver observer) {
    observers.add(java.util.Objects.requireNonNull(observer));
  }

  /** Removes an observer added with {@link #observe}. */
  public void unobserve(InvocationObserver observer) {
    observers.remove(observer);
  }

  /**
   * The id of the function whose invocation runs on the calling thread, or {@code null}: lets an
   * SDK interceptor tell the functions' calls from the runtime's own.
   */
  public static String invokingFunction() {
    return INVOKING.get();
  }

  /**
   * Loads every handler class without constructing it.
   *
   * @return one line per function whose handler cannot be used; empty when all can
   */
  public List<String> check() {
    List<String> problems = new ArrayList<>();
    for (Function function : functions.values()) {
      try {
        function.adapter();
      } catch (FunctionError e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Starts one container per function in the background, so the first request does not pay for the
   * handlers' initialization. Failures are left for the first real invocation to report.
   */
  public void prewarm() {
    for (Function function : functions.values()) {
      executor.execute(
          () -> {
            try {
              function.release(function.acquire());
            } catch (FunctionError | RuntimeException ignored) {
              // Reported, with its cause, by the invocation that needs the container.
            }
          });
    }
  }

  /**
   * The handler class each function runs, by function id, as loaded (the class's own name, not the
   * topology's string); a function whose handler cannot be loaded is left out.
   */
  public Map<String, String> handlerClasses() {
    Map<String, String> classes = new LinkedHashMap<>();
    functions.forEach(
        (id, f) -> {
          try {
            classes.put(id, f.adapter().handlerClass().getName());
          } catch (FunctionError e) {
            // Left out: the summary then differs from the topology's, which is the point.
          }
        });
    return classes;
  }

  /** How many invocations of each function ran past their timeout and were failed for it. */
  public Map<String, Integer> timedOut() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    functions
        .keySet()
        .forEach(id -> counts.put(id, timeouts.getOrDefault(id, new AtomicInteger()).get()));
    return counts;
  }

  /** How many containers each function has started so far. */
  public Map<String, Integer> containersStarted() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    functions.forEach((id, f) -> counts.put(id, f.started.get()));
    return counts;
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
  }

  private final class Function {
    private final FunctionSpec spec;
    private final ClassLoader loader;
    private final ConcurrentLinkedDeque<Container> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile HandlerAdapter adapter;
    private volatile FunctionError loadFailure;

    Function(FunctionSpec spec, ClassLoader loader) {
      this.spec = spec;
      this.loader = loader;
    }

    HandlerAdapter adapter() throws FunctionError {
      HandlerAdapter a = adapter;
      if (a != null) {
        return a;
      }
      synchronized (this) {
        if (adapter == null && loadFailure == null) {
          try {
            adapter = HandlerAdapter.forClass(spec.handler(), loader);
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            loadFailure =
                new FunctionError(
                    spec.id() + ": cannot use handler " + spec.handler() + ": " + e, e);
          }
        }
        if (loadFailure != null) {
          throw loadFailure;
        }
        return adapter;
      }
    }

    Container acquire() throws FunctionError {
      Container container = idle.pollFirst();
      if (container != null) {
        return container;
      }
      HandlerAdapter a = adapter();
      int number = started.incrementAndGet();
      try {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
          return new Container(a.newInstance(), logStream(number));
        } finally {
          current.setContextClassLoader(previous);
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        Throwable cause =
            e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
        System.err.println("[" + spec.id() + "] ERROR init failed: " + cause);
        cause.printStackTrace();
        throw new FunctionError(spec.id() + ": init failed: " + cause, cause);
      }
    }

    void release(Container container) {
      // Most recently used first: the warmest container takes the next invocation.
      idle.addFirst(container);
    }

    String invoke(String eventJson) throws FunctionError {
      HandlerAdapter a = adapter();
      int eventBytes = eventJson.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (eventBytes >= MAX_REQUEST_BYTES) {
        throw new FunctionError(
            spec.id()
                + ": RequestEntityTooLargeException: Request must be smaller than "
                + MAX_REQUEST_BYTES
                + " bytes for the InvokeFunction operation",
            null);
      }
      Object event;
      try {
        event = a.readEvent(eventJson);
      } catch (RuntimeException e) {
        throw new FunctionError(spec.id() + ": cannot deserialize the event: " + e, e);
      }
      if (faults.inOutage(spec.id())) {
        // As a function whose every invocation fails at once (its own dependency is down, a bad
        // deploy): Lambda reports an error, the trigger retries as it would.
        throw new FunctionError(
            spec.id() + ": chaos: function-outage (failing every invocation)", null);
      }
      Container container = acquire();
      String requestId = UUID.randomUUID().toString();
      long timeoutNanos = TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
      boolean lateStart = faults.strikes(Fault.FUNCTION_TIMEOUT);
      if (lateStart) {
        // Most of the time is gone before the handler runs: what it has left is the headroom.
        timeoutNanos =
            Math.min(
                timeoutNanos,
                TimeUnit.MILLISECONDS.toNanos(faults.config().timeoutHeadroomMillis()));
      }
      var context =
          new LocalContext(spec, requestId, container.logStream, System.nanoTime() + timeoutNanos);
      Future<String> result;
      try {
        result =
            executor.submit(
                () -> {
                  INVOKING.set(spec.id());
                  try {
                    return chaos == null
                        ? a.call(container.handler, event, context)
                        : DynamoDbChaosInterceptor.invoking(
                            chaos, () -> a.call(container.handler, event, context));
                  } finally {
                    INVOKING.remove();
                  }
                });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        release(container);
        throw new FunctionError(spec.id() + ": the local runtime is shutting down", e);
      }
      try {
        String answer = result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        release(container);
        if (answer != null
            && answer.length() * 3L > MAX_RESPONSE_BYTES
            && answer.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > MAX_RESPONSE_BYTES) {
          context
              .getLogger()
              .log("ERROR response payload size exceeded maximum allowed payload size");
          throw new FunctionError(
              spec.id()
                  + ": Response payload size exceeded maximum allowed payload size ("
                  + MAX_RESPONSE_BYTES
                  + " bytes).",
              null);
        }
        return answer;
      } catch (ExecutionException e) {
        // Lambda keeps a container whose handler threw; only a crash or timeout ends it.
        release(container);
        Throwable cause = e.getCause();
        context.getLogger().log("ERROR invocation failed: " + cause);
        cause.printStackTrace();
        throw new FunctionError(spec.id() + ": " + cause, cause);
      } catch (TimeoutException e) {
        result.cancel(true);
        timeouts.computeIfAbsent(spec.id(), k -> new AtomicInteger()).incrementAndGet();
        if (lateStart) {
          faults.note(Fault.FUNCTION_TIMEOUT.key() + "-expired");
        }
        context.getLogger().log("ERROR timed out after " + spec.timeoutSeconds() + " s");
        throw new FunctionError(
            spec.id() + ": Task timed out after " + spec.timeoutSeconds() + " seconds", null);
      } catch (InterruptedException e) {
        result.cancel(true);
        Thread.currentThread().interrupt();
        throw new FunctionError(spec.id() + ": interrupted", e);
      } catch (CancellationException e) {
        throw new FunctionError(spec.id() + ": cancelled", e);
      }
    }

    private String logStream(int number) {
      return LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/')
          + "/[$LATEST]"
          + String.format("%032x", (long) number);
    }
  }

  private record Container(Object handler, String logStream) {}
}
