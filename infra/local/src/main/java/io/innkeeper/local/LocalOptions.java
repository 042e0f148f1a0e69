package io.innkeeper.local;

import io.innkeeper.topology.Topology;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a {@link LocalRuntime}.
 *
 * @param topology what to run
 * @param port the API's port on 127.0.0.1; {@code 0} for any free port
 * @param dataDir where tables, queues and stream checkpoints persist; {@code null} keeps everything
 *     in memory
 * @param seed whether to add the demo hotels (through the API) once the runtime is up
 */
public record LocalOptions(Topology topology, int port, Path dataDir, boolean seed) {

  public LocalOptions {
    Objects.requireNonNull(topology, "topology");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Innkeeper's topology on port 8080, in memory, seeded. */
  public static LocalOptions defaults() {
    return new LocalOptions(Topology.innkeeper(), 8080, null, true);
  }

  public LocalOptions withTopology(Topology topology) {
    return new LocalOptions(topology, port, dataDir, seed);
  }

  public LocalOptions withPort(int port) {
    return new LocalOptions(topology, port, dataDir, seed);
  }

  public LocalOptions withDataDir(Path dataDir) {
    return new LocalOptions(topology, port, dataDir, seed);
  }

  public LocalOptions withSeed(boolean seed) {
    return new LocalOptions(topology, port, dataDir, seed);
  }
}
