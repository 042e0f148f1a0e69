package io.innkeeper.local.emulators;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** DynamoDB Local (with Streams) running in this JVM, reachable on the loopback interface only. */
final class DynamoDbLocalServer implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final String JOBS_PACKAGE = "com.amazonaws.services.dynamodbv2.local.shared.jobs.";

  /**
   * sqlite4java logs through java.util.logging on every start (from a shaded jar it warns that it
   * cannot tell its own version); JUL holds loggers weakly, so the configured one is kept here.
   */
  private static final Logger SQLITE_LOG = Logger.getLogger("com.almworks.sqlite4java");

  /** AWS SDK v1 inside DynamoDB Local warns through JUL that JAXB is missing, which is harmless. */
  private static final Logger SDK_V1_LOG = Logger.getLogger("com.amazonaws");

  private final DynamoDBProxyServer server;
  private final CommittedTransactions handler;
  private final URI endpoint;
  private final Set<Thread> earlierJobThreads;

  private DynamoDbLocalServer(
      DynamoDBProxyServer server,
      CommittedTransactions handler,
      URI endpoint,
      Set<Thread> earlierJobThreads) {
    this.server = server;
    this.handler = handler;
    this.endpoint = endpoint;
    this.earlierJobThreads = earlierJobThreads;
  }

  /** Closes every open stream shard; child shards take over ({@link CommittedTransactions}). */
  int rolloverShards() {
    return handler.rolloverShards();
  }

  /**
   * Starts DynamoDB Local.
   *
   * @param dbDir where its SQLite files live, or {@code null} for in memory
   */
  static DynamoDbLocalServer start(Path dbDir) throws Exception {
    SQLITE_LOG.setLevel(Level.SEVERE);
    // A filter too: sqlite4java lowers its logger's level again when it loads its natives.
    SQLITE_LOG.setFilter(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
    SDK_V1_LOG.setLevel(Level.SEVERE);
    // Only used if the connector cannot be reconfigured below: then the server binds this port on
    // every interface, and another process may grab it between here and start().
    int fallbackPort = freeLoopbackPort();
    List<String> args = new ArrayList<>(List.of("-port", String.valueOf(fallbackPort)));
    args.add("-disableTelemetry");
    if (dbDir == null) {
      args.add("-inMemory");
    } else {
      Files.createDirectories(dbDir);
      args.add("-dbPath");
      args.add(dbDir.toAbsolutePath().toString());
    }
    Set<Thread> earlierJobThreads = backgroundJobThreads();
    CommittedTransactions[] handler = new CommittedTransactions[1];
    DynamoDBProxyServer server = createQuietly(args.toArray(String[]::new), handler);
    ServerConnector connector = bindToLoopbackOnAnyPort(server);
    try {
      server.start();
    } catch (Exception e) {
      // Its Jetty threads are non-daemon: a half-started server would keep the JVM alive.
      stopQuietly(server);
      stopBackgroundJobs(earlierJobThreads);
      throw e;
    }
    int port = connector != null ? connector.getLocalPort() : fallbackPort;
    return new DynamoDbLocalServer(
        server, handler[0], URI.create("http://" + LOOPBACK + ":" + port), earlierJobThreads);
  }

  /**
   * DynamoDB Local has no host option (it binds 0.0.0.0, exposing the database to the network) and
   * refuses {@code -port 0} (so parallel runs race for ports). Both are settings of the Jetty
   * connector it builds before {@code start()}, but that server sits in a private field, so this
   * reaches in by reflection. If a DynamoDB Local upgrade moves things around, this returns {@code
   * null} and the server keeps its own binding on the pre-picked port.
   */
  private static ServerConnector bindToLoopbackOnAnyPort(DynamoDBProxyServer proxy) {
    try {
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      Server jetty = (Server) field.get(proxy);
      Connector[] connectors = jetty.getConnectors();
      if (connectors.length != 1 || !(connectors[0] instanceof ServerConnector connector)) {
        throw new IllegalStateException("expected one ServerConnector, found " + connectors.length);
      }
      connector.setHost(LOOPBACK);
      connector.setPort(0);
      return connector;
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println(
          "[innkeeper-local] WARN could not bind DynamoDB Local to "
              + LOOPBACK
              + " ("
              + e
              + "); it listens on all interfaces");
      return null;
    }
  }

  /**
   * DynamoDB Local prints its configuration to stdout while it builds the server; stdout belongs to
   * what the runtime prints for the user, so it is muted for that moment. Nothing else of the
   * runtime writes to stdout while the emulators start.
   */
  private static DynamoDBProxyServer createQuietly(String[] args, CommittedTransactions[] handler)
      throws Exception {
    PrintStream stdout = System.out;
    synchronized (System.class) {
      System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
      try {
        // What ServerRunner.createServer does, with the request handler that answers a
        // transaction only once it is committed (see CommittedTransactions).
        CommandLineInput input = new CommandLineInput(args);
        if (!input.init()) {
          throw new IllegalArgumentException("DynamoDB Local refused " + String.join(" ", args));
        }
        handler[0] =
            new CommittedTransactions(
                input.isInMemory(),
                input.getDbPath(),
                input.getSharedDb(),
                input.shouldDelayTransientStatuses());
        return new DynamoDBProxyServer(
            input.getPort(), new LocalDynamoDBServerHandler(handler[0], input.getCorsParams()));
      } finally {
        System.setOut(stdout);
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static void stopQuietly(DynamoDBProxyServer server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // Already failing; the original exception is the one worth reporting.
    }
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
    } finally {
      stopBackgroundJobs(earlierJobThreads);
    }
  }

  /**
   * {@code stop()} shuts DynamoDB Local's job pool down but leaves its background jobs (the
   * shard-rollover scheduler, TTL deletion) sleeping between rounds on non-daemon threads, which
   * keeps the JVM alive for seconds to hours. An interrupt ends such a job, and the pool, already
   * shut down, lets the thread go. The job threads are only created with the first database, so
   * this server's are told apart from those of other DynamoDB Locals in the JVM by being new since
   * this one started.
   */
  private static void stopBackgroundJobs(Set<Thread> earlier) {
    for (Thread thread : backgroundJobThreads()) {
      if (!earlier.contains(thread)) {
        thread.interrupt();
      }
    }
  }

  private static Set<Thread> backgroundJobThreads() {
    Set<Thread> threads = new HashSet<>();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(JOBS_PACKAGE)) {
                  threads.add(thread);
                  return;
                }
              }
            });
    return threads;
  }
}
