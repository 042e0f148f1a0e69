package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.ops.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A start that fails leaves nothing running, and says why; a stop does not wait for the pollers'
 * long polls.
 */
class StartupIT {

  @Test
  void aStopEndsThePollersLongPollsInsteadOfWaitingForThem() throws Exception {
    LocalRuntime runtime = LocalRuntime.start(LocalOptions.defaults().withPort(0).withSeed(false));
    // Every SQS poller is in a receive on an empty queue by now, waiting up to 20 s as Lambda's do.
    Thread.sleep(1000);
    long started = System.nanoTime();
    runtime.close();
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 10_000, "the stop took " + millis + " ms, as if it waited for a receive");
  }

  @Test
  void takenPortFailsCleanly() throws Exception {
    // Other ITs may share a running runtime in this JVM: only threads this start leaves count.
    java.util.Set<Thread> before = jettyThreads();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      var options = new LocalOptions(EventSourcesIT.topology(), port, null, false);
      BindException e = assertThrows(BindException.class, () -> LocalRuntime.start(options));
      assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
      java.util.Set<Thread> left = jettyThreads();
      left.removeAll(before);
      assertTrue(left.isEmpty(), "DynamoDB Local's threads outlived the failed start: " + left);
    }
  }

  private static java.util.Set<Thread> jettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isDaemon() && t.isAlive() && t.getName().startsWith("qtp"))
        .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
  }

  @Test
  void mainExplainsATakenPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Cli.run(
              new LocalMain(),
              List.of("--port", String.valueOf(taken.getLocalPort()), "--no-seed"),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(1, code);
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("already in use"), err.toString());
    }
  }
}
