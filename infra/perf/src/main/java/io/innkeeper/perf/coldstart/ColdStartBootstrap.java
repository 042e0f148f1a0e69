package io.innkeeper.perf.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The child side of {@code coldstart}: a minimal stand-in for Lambda's Java runtime, run as the
 * main class of a fresh JVM for one measurement.
 *
 * <p>Like Lambda's managed runtime, the runtime's own classes (this class, {@code
 * aws-lambda-java-core} and {@code aws-lambda-java-serialization}) are on the JVM's class path, and
 * the function's code is loaded by a class loader of its own over the task root (the artifact
 * unpacked, as Lambda unpacks a jar into {@code /var/task}, plus {@code lib/*.jar}). The handler
 * class comes from {@code _HANDLER}, the function's settings from the environment.
 *
 * <p>Init: load the handler class, run its no-arg constructor, find the input and output types and
 * build their serializers. First invoke: read the event with Lambda's serializer, call {@code
 * handleRequest}, write the response. Both are timed with {@link System#nanoTime()}, and the wall
 * clock at {@code main} is recorded so the parent can add the JVM's own start-up. The timings, the
 * response and any error go to the result file as one JSON object; then the JVM exits.
 *
 * <p>This class may use only the JDK and the two Lambda runtime libraries: it is copied into the
 * runtime jar without the rest of the local runtime.
 *
 * <p>Usage: {@code ColdStartBootstrap TASK_ROOT EVENT_FILE RESULT_FILE}.
 */
public final class ColdStartBootstrap {

  private ColdStartBootstrap() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    Instant mainAt = Instant.now();
    if (args.length != 3) {
      System.err.println("usage: ColdStartBootstrap TASK_ROOT EVENT_FILE RESULT_FILE");
      System.exit(2);
    }
    Path taskRoot = Path.of(args[0]);
    Path eventFile = Path.of(args[1]);
    Path resultFile = Path.of(args[2]);
    String handlerName = System.getenv("_HANDLER");

    long constructNanos = -1;
    long initNanos = -1;
    long invokeNanos = -1;
    String response = null;
    String error = null;
    String phase = "init";
    int eventBytes = -1;
    try {
      if (handlerName == null || handlerName.isBlank()) {
        throw new IllegalStateException("_HANDLER is not set");
      }
      // "pkg.Class" or "pkg.Class::handleRequest"; only RequestHandler classes are supported.
      String className = handlerName.split("::", 2)[0];
      ClassLoader customer = customerLoader(taskRoot);
      Thread.currentThread().setContextClassLoader(customer);
      Class<?> handlerClass = Class.forName(className, true, customer);
      Object instance = handlerClass.getConstructor().newInstance();
      constructNanos = System.nanoTime() - start;
      if (!(instance instanceof RequestHandler)) {
        throw new IllegalStateException(className + " does not implement RequestHandler");
      }
      @SuppressWarnings("unchecked")
      RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) instance;
      Type[] types = requestHandlerTypes(handlerClass);
      PojoSerializer<Object> input = serializer(types[0], customer);
      PojoSerializer<Object> output = serializer(types[1], customer);
      initNanos = System.nanoTime() - start;

      // The event arrives before the invoke starts (Lambda's runtime API hands it over).
      byte[] event = Files.readAllBytes(eventFile);
      eventBytes = event.length;
      phase = "invoke";
      long invokeStart = System.nanoTime();
      Object request = input.fromJson(new ByteArrayInputStream(event));
      Object result = handler.handleRequest(request, new HarnessContext(System.getenv()));
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      output.toJson(result, written);
      invokeNanos = System.nanoTime() - invokeStart;
      response = written.toString(StandardCharsets.UTF_8);
    } catch (Throwable e) {
      Throwable cause = e;
      if (e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null) {
        cause = e.getCause();
      }
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      error = phase + ": " + trace;
      cause.printStackTrace();
    }
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    field(json, "handler", handlerName).append(',');
    json.append("\"mainAtEpochMicros\":")
        .append(mainAt.getEpochSecond() * 1_000_000L + mainAt.getNano() / 1_000)
        .append(',');
    json.append("\"constructNanos\":").append(constructNanos).append(',');
    json.append("\"initNanos\":").append(initNanos).append(',');
    json.append("\"invokeNanos\":").append(invokeNanos).append(',');
    json.append("\"eventBytes\":").append(eventBytes).append(',');
    json.append("\"javaVersion\":\"").append(Runtime.version()).append("\",");
    field(json, "response", response).append(',');
    field(json, "error", error);
    json.append('}');
    Files.writeString(resultFile, json.toString(), StandardCharsets.UTF_8);
    System.out.flush();
    // Lambda freezes the environment after the invoke; here the measurement is over.
    System.exit(0);
  }

  /** The task root and every jar in its {@code lib/}, as Lambda's runtime loads function code. */
  static ClassLoader customerLoader(Path taskRoot) throws Exception {
    List<URL> urls = new ArrayList<>();
    if (Files.isDirectory(taskRoot)) {
      urls.add(taskRoot.toUri().toURL());
      File[] libs =
          taskRoot.resolve("lib").toFile().listFiles((dir, name) -> name.endsWith(".jar"));
      if (libs != null) {
        java.util.Arrays.sort(libs);
        for (File lib : libs) {
          urls.add(lib.toURI().toURL());
        }
      }
    } else if (Files.isRegularFile(taskRoot)) {
      urls.add(taskRoot.toUri().toURL());
    } else {
      throw new IllegalArgumentException("no task root at " + taskRoot);
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
  }

  /** The {@code I} and {@code O} of the {@code RequestHandler<I, O>} that {@code type} is. */
  static Type[] requestHandlerTypes(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Type implemented : c.getGenericInterfaces()) {
        if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
          return p.getActualTypeArguments();
        }
      }
    }
    throw new IllegalStateException(
        type.getName() + " must implement RequestHandler<I, O> with concrete types");
  }

  /**
   * The serializer Lambda's runtime picks: its own (with the events' mix-ins) for the event types
   * it supports, its Jackson factory for anything else.
   */
  @SuppressWarnings("unchecked")
  static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
      return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw, loader);
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }

  private static StringBuilder field(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":");
    if (value == null) {
      return json.append("null");
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }

  /** The invoke's context, from the variables Lambda sets. */
  static final class HarnessContext implements Context {
    private final java.util.Map<String, String> env;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline;

    HarnessContext(java.util.Map<String, String> env) {
      this.env = env;
      long timeoutMillis = 1000L * Long.parseLong(env.getOrDefault("COLDSTART_TIMEOUT_S", "60"));
      this.deadline = System.currentTimeMillis() + timeoutMillis;
    }

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return env.get("AWS_LAMBDA_LOG_GROUP_NAME");
    }

    @Override
    public String getLogStreamName() {
      return env.get("AWS_LAMBDA_LOG_STREAM_NAME");
    }

    @Override
    public String getFunctionName() {
      return env.get("AWS_LAMBDA_FUNCTION_NAME");
    }

    @Override
    public String getFunctionVersion() {
      return env.getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    }

    @Override
    public String getInvokedFunctionArn() {
      return env.get("COLDSTART_FUNCTION_ARN");
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0"));
    }

    @Override
    public LambdaLogger getLogger() {
      return new StdoutLogger();
    }
  }

  /** Lambda's logger writes to the function's log stream; here, standard output. */
  static final class StdoutLogger implements LambdaLogger {
    @Override
    public void log(String message) {
      System.out.print(message);
    }

    @Override
    public void log(byte[] message) {
      System.out.write(message, 0, message.length);
    }
  }
}
