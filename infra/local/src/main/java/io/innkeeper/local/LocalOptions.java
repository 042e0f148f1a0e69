package io.innkeeper.local;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.gateway.RateLimit;
import io.innkeeper.topology.Topology;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a {@link LocalRuntime}.
 *
 * @param topology what to run
 * @param port the API's port on 127.0.0.1; {@code 0} for any free port
 * @param dataDir where tables, queues and stream checkpoints persist; {@code null} keeps everything
 *     in memory. With {@code external} endpoints the tables and queues live there, and this only
 *     keeps the stream checkpoints.
 * @param seed whether to add the domain's demo data (through the API) once the runtime is up
 * @param external AWS-compatible endpoints someone else runs (e.g. LocalStack) to use instead of
 *     starting the embedded DynamoDB Local and ElasticMQ; {@code null} (the default) starts the
 *     embedded servers
 * @param chaos the faults to inject ({@link ChaosConfig#none()} by default)
 * @param rateLimit the API's throttling ({@code --rate-limit RPS[:BURST]}); {@code null}, the
 *     default, throttles nothing, so that tests, the soak and benchmarks measure the system rather
 *     than the limit
 * @param domain the domain the topology was made of, which seeds the demo data; {@code null} for a
 *     topology of no domain (a test's), which cannot be seeded
 * @param integrationTimeout how long the gateway waits for a function before it answers 503; API
 *     Gateway's 30 s unless a test sets it shorter ({@code null}: 30 s)
 * @param timeCompression a testing aid AWS does not have: every timeout and delay a scenario can
 *     sit out divided by one factor ({@code --compress-time N}); {@code null} or {@link
 *     TimeCompression#none()}, the default, keeps AWS's figures
 */
public record LocalOptions(
    Topology topology,
    int port,
    Path dataDir,
    boolean seed,
    AwsEndpoints external,
    ChaosConfig chaos,
    RateLimit rateLimit,
    Domain domain,
    java.time.Duration integrationTimeout,
    TimeCompression timeCompression) {

  public LocalOptions {
    Objects.requireNonNull(topology, "topology");
    chaos = chaos == null ? ChaosConfig.none() : chaos;
    timeCompression = timeCompression == null ? TimeCompression.none() : timeCompression;
    integrationTimeout =
        integrationTimeout == null
            ? io.innkeeper.local.gateway.HttpGateway.INTEGRATION_TIMEOUT
            : integrationTimeout;
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Of no domain. */
  public LocalOptions(
      Topology topology,
      int port,
      Path dataDir,
      boolean seed,
      AwsEndpoints external,
      ChaosConfig chaos,
      RateLimit rateLimit) {
    this(topology, port, dataDir, seed, external, chaos, rateLimit, null, null, null);
  }

  /** Without throttling, of no domain. */
  public LocalOptions(
      Topology topology,
      int port,
      Path dataDir,
      boolean seed,
      AwsEndpoints external,
      ChaosConfig chaos) {
    this(topology, port, dataDir, seed, external, chaos, null);
  }

  /** With the embedded servers, of no domain. */
  public LocalOptions(Topology topology, int port, Path dataDir, boolean seed) {
    this(topology, port, dataDir, seed, null, ChaosConfig.none());
  }

  /**
   * The topology of the domain on the classpath ({@link Domains#load()}) on port 8080, in memory,
   * seeded, on the embedded servers.
   */
  public static LocalOptions defaults() {
    return of(Domains.load());
  }

  /** The topology of {@code domain} on port 8080, in memory, seeded, on the embedded servers. */
  public static LocalOptions of(Domain domain) {
    return new LocalOptions(
        Topology.of(domain), 8080, null, true, null, ChaosConfig.none(), null, domain, null, null);
  }

  public LocalOptions withTopology(Topology topology) {
    return copy(c -> c.topology = topology);
  }

  public LocalOptions withPort(int port) {
    return copy(c -> c.port = port);
  }

  public LocalOptions withDataDir(Path dataDir) {
    return copy(c -> c.dataDir = dataDir);
  }

  public LocalOptions withSeed(boolean seed) {
    return copy(c -> c.seed = seed);
  }

  /**
   * Uses {@code external} endpoints instead of the embedded servers; {@code null} goes back to the
   * embedded servers.
   */
  public LocalOptions withExternal(AwsEndpoints external) {
    return copy(c -> c.external = external);
  }

  /** Injects the faults of {@code chaos}; {@link ChaosConfig#none()} turns chaos off. */
  public LocalOptions withChaos(ChaosConfig chaos) {
    return copy(c -> c.chaos = chaos);
  }

  /**
   * Throttles the API to {@code rateLimit} ({@link RateLimit#parse} reads {@code RPS[:BURST]});
   * {@code null} turns throttling off.
   */
  public LocalOptions withRateLimit(RateLimit rateLimit) {
    return copy(c -> c.rateLimit = rateLimit);
  }

  /** Waits {@code timeout} for a function before answering 503 (API Gateway: 30 s). */
  public LocalOptions withIntegrationTimeout(java.time.Duration timeout) {
    return copy(c -> c.integrationTimeout = timeout);
  }

  /**
   * Runs every timeout and delay a scenario can sit out {@code compression}'s factor times shorter
   * (a testing aid: {@link TimeCompression}); {@link TimeCompression#none()} is AWS's figures.
   */
  public LocalOptions withTimeCompression(TimeCompression compression) {
    return copy(c -> c.timeCompression = compression);
  }

  /** Whether the runtime starts its own DynamoDB Local and ElasticMQ. */
  public boolean embedded() {
    return external == null;
  }

  /** This record with the components {@code change} sets changed; the rest as they are. */
  private LocalOptions copy(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new LocalOptions(
        c.topology,
        c.port,
        c.dataDir,
        c.seed,
        c.external,
        c.chaos,
        c.rateLimit,
        c.domain,
        c.integrationTimeout,
        c.timeCompression);
  }

  /** The components, mutable for one {@link #copy}. */
  private static final class Copy {
    Topology topology;
    int port;
    Path dataDir;
    boolean seed;
    AwsEndpoints external;
    ChaosConfig chaos;
    RateLimit rateLimit;
    Domain domain;
    java.time.Duration integrationTimeout;
    TimeCompression timeCompression;

    Copy(LocalOptions o) {
      topology = o.topology;
      port = o.port;
      dataDir = o.dataDir;
      seed = o.seed;
      external = o.external;
      chaos = o.chaos;
      rateLimit = o.rateLimit;
      domain = o.domain;
      integrationTimeout = o.integrationTimeout;
      timeCompression = o.timeCompression;
    }
  }
}
