package io.innkeeper.cdk;

import io.innkeeper.core.domain.Domain;
import io.innkeeper.core.domain.Domains;
import io.innkeeper.topology.Topology;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * What {@link InnkeeperStack} is built from: the topology (everything about functions, tables,
 * queues and routes) plus the few deployment settings the topology deliberately leaves out.
 *
 * @param topology the functions, tables, queues and routes to deploy
 * @param functionsJar the one jar every function runs from
 * @param apiRateLimit steady-state requests per second the HTTP API's default stage accepts
 * @param apiBurstLimit request burst the HTTP API's default stage accepts
 * @param logRetention how long function logs are kept
 * @param description the CloudFormation stack description
 * @param reserveConcurrency whether functions get {@link ReservedConcurrency}'s reservations
 */
public record InnkeeperStackProps(
    Topology topology,
    Path functionsJar,
    double apiRateLimit,
    int apiBurstLimit,
    RetentionDays logRetention,
    String description,
    boolean reserveConcurrency) {

  /** Default steady-state rate of the HTTP API; generous for a demo, cheap to raise. */
  public static final double DEFAULT_API_RATE_LIMIT = 50;

  /** Default burst of the HTTP API. */
  public static final int DEFAULT_API_BURST_LIMIT = 100;

  public InnkeeperStackProps {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(functionsJar, "functionsJar");
    Objects.requireNonNull(logRetention, "logRetention");
    Objects.requireNonNull(description, "description");
    if (apiRateLimit <= 0 || apiBurstLimit <= 0) {
      throw new IllegalArgumentException("API throttling limits must be positive");
    }
  }

  /** A builder with the defaults filled in; only the functions jar has none. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link InnkeeperStackProps}. */
  public static final class Builder {
    private final Domain domain = Domains.load();
    private Topology topology = Topology.of(domain);
    private Path functionsJar;
    private double apiRateLimit = DEFAULT_API_RATE_LIMIT;
    private int apiBurstLimit = DEFAULT_API_BURST_LIMIT;
    private RetentionDays logRetention = RetentionDays.ONE_MONTH;
    private String description = domain.description();
    private boolean reserveConcurrency;

    private Builder() {}

    public Builder topology(Topology topology) {
      this.topology = topology;
      return this;
    }

    public Builder functionsJar(Path functionsJar) {
      this.functionsJar = functionsJar;
      return this;
    }

    public Builder apiRateLimit(double apiRateLimit) {
      this.apiRateLimit = apiRateLimit;
      return this;
    }

    public Builder apiBurstLimit(int apiBurstLimit) {
      this.apiBurstLimit = apiBurstLimit;
      return this;
    }

    public Builder logRetention(RetentionDays logRetention) {
      this.logRetention = logRetention;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Reserves concurrency as {@link ReservedConcurrency} says; off by default. */
    public Builder reserveConcurrency(boolean reserveConcurrency) {
      this.reserveConcurrency = reserveConcurrency;
      return this;
    }

    public InnkeeperStackProps build() {
      return new InnkeeperStackProps(
          topology,
          functionsJar,
          apiRateLimit,
          apiBurstLimit,
          logRetention,
          description,
          reserveConcurrency);
    }
  }
}
