package io.innkeeper.local.emulators;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.innkeeper.ops.LocalAws;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.util.Either;

/**
 * ElasticMQ (SQS) running in this JVM on the loopback interface. With a data directory, queues and
 * messages are kept in an H2 database there, the way the standalone ElasticMQ server does it.
 */
final class ElasticMqServer implements AutoCloseable {

  /**
   * ElasticMQ's jar carries an {@code application.conf} that puts Pekko at DEBUG. These settings
   * win over it (and keep the ones of that file that matter), whatever the classpath order or
   * shading does with it. Pekko's scheduler ticks every 100 ms instead of 10 ms: it only times
   * ElasticMQ's visibility timeouts, delays and long-poll ends, which SQS counts in seconds, and
   * its ticking was about 1 % of a core in an idle runtime.
   */
  private static final String OVERRIDES =
      """
      pekko.loglevel = "WARNING"
      pekko.stdout-loglevel = "WARNING"
      pekko.log-dead-letters = off
      pekko.log-dead-letters-during-shutdown = off
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      pekko.http.server.parsing.illegal-header-warnings = off
      pekko.http.server.request-timeout = 21 s
      pekko.http.server.parsing.max-uri-length = 256k
      pekko.scheduler.tick-duration = 100 ms
      """;

  private final ActorSystem system;
  private final URI endpoint;

  private ElasticMqServer(ActorSystem system, URI endpoint) {
    this.system = system;
    this.endpoint = endpoint;
  }

  /**
   * Starts ElasticMQ.
   *
   * @param storageDir where queues and messages persist, or {@code null} for in memory
   */
  static ElasticMqServer start(Path storageDir) throws Exception {
    ClassLoader loader = ElasticMqServer.class.getClassLoader();
    Config config = ConfigFactory.parseString(OVERRIDES).withFallback(ConfigFactory.load(loader));
    ActorSystem system = ActorSystem.create("elasticmq", config, loader);
    try {
      TheSQSRestServerBuilder builder =
          SQSRestServerBuilder.withActorSystem(system)
              .withInterface("127.0.0.1")
              .withDynamicPort()
              .withAWSRegion(LocalAws.REGION)
              .withAWSAccountId(LocalAws.ACCOUNT_ID);
      ActorRef persistence = null;
      ActorRef queueManager = null;
      if (storageDir != null) {
        Files.createDirectories(storageDir);
        // WRITE_DELAY=0: H2 writes each commit to the file before the statement returns. With its
        // default (500 ms) a kill -9 loses the messages of the last half second that SQS had
        // already acknowledged: commands answered 202 whose message is gone (DurabilityIT).
        String url =
            "jdbc:h2:file:" + storageDir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
        var persistenceConfig =
            new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        persistence =
            system.actorOf(
                Props.create(
                    SqlQueuePersistenceActor.class, persistenceConfig, List$.MODULE$.empty()),
                "persistence");
        queueManager =
            system.actorOf(
                Props.create(
                    QueueManagerActor.class,
                    new NowProvider(),
                    StrictSQSLimits$.MODULE$,
                    Option.apply(persistence)),
                "queue-manager");
        builder = builder.withQueueManagerActor(queueManager).withQueueEventListener(persistence);
      }
      SQSRestServer server = builder.start();
      int port = server.waitUntilStarted().localAddress().getPort();
      if (persistence != null) {
        restore(persistence, queueManager);
      }
      return new ElasticMqServer(system, URI.create("http://127.0.0.1:" + port));
    } catch (Exception | Error e) {
      terminate(system);
      throw e;
    }
  }

  /** Recreates the persisted queues and their messages, as the standalone server does on start. */
  private static void restore(ActorRef persistence, ActorRef queueManager) throws Exception {
    Object answer =
        Patterns.ask(persistence, new QueueEvent.Restore(queueManager), Duration.ofSeconds(30))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    if (answer instanceof Either<?, ?> either && either.isLeft()) {
      throw new IllegalStateException("ElasticMQ could not restore its queues: " + either.left());
    }
  }

  private static void terminate(ActorSystem system) {
    try {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Shutting down anyway; nothing more to do with a system that will not stop.
    }
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * Stops the actor system, which closes the server and its connections. Not the server's own
   * graceful stop first: that waits for every request in flight, and the runtime's pollers keep a
   * 20-second receive in flight. A receive cut short brings nothing to a poller that has stopped.
   */
  @Override
  public void close() {
    terminate(system);
  }
}
