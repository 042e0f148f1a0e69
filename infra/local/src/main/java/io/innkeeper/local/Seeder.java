package io.innkeeper.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.client.Json;
import io.innkeeper.core.domain.fixture.Api;
import io.innkeeper.core.domain.fixture.DemoData;
import io.innkeeper.core.obs.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Adds the domain's demo data through the real HTTP API, as an admin would ({@link DemoData#seed}),
 * each command awaited. With a data directory it leaves a marker there, so a restart does not add
 * it again (and the demo's requests carry an {@code Idempotency-Key} in case the marker is lost).
 */
public final class Seeder {

  /** What was seeded: the demo's title and one line per thing added, for the banner. */
  public record Seeded(String title, List<String> lines) {
    public static final Seeded NOTHING = new Seeded("", List.of());

    public Seeded {
      lines = List.copyOf(lines);
    }
  }

  /** Seeding could not complete. */
  public static final class SeedException extends Exception {
    private static final long serialVersionUID = 1L;

    SeedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "seed");
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String MARKER = "seeded-demo.json";

  private final DemoData demo;
  private final Api api;
  private final Path dataDir;

  /**
   * @param dataDir where the "already seeded" marker lives, or {@code null} for none
   */
  public Seeder(DemoData demo, Api api, Path dataDir) {
    this.demo = demo;
    this.api = api;
    this.dataDir = dataDir;
  }

  /**
   * Seeds the demo data.
   *
   * @return what was seeded (that of an earlier run when the data directory was seeded already);
   *     nothing when the API does not serve the demo's routes (a warning says so)
   * @throws SeedException when the API refuses the demo data or a command does not succeed in time
   */
  public Seeded seed() throws SeedException, IOException {
    Path marker = dataDir == null ? null : dataDir.resolve(MARKER);
    if (marker != null && Files.exists(marker)) {
      try {
        return JSON.readValue(marker.toFile(), Seeded.class);
      } catch (IOException unreadable) {
        // Seeding again adds nothing: the demo's requests carry idempotency keys.
        LOG.warn("cannot read " + marker + "; seeding again");
      }
    }
    List<String> lines;
    try {
      lines = demo.seed(api);
    } catch (Api.Refused e) {
      if (e.answer().status() == 404) {
        LOG.warn("a demo route is not served (404); no demo data: " + e.getMessage());
        return Seeded.NOTHING;
      }
      throw new SeedException("seeding the demo data failed: " + e.getMessage(), e);
    }
    Seeded seeded = new Seeded(demo.title(), lines);
    if (marker != null) {
      Files.writeString(
          marker,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(seeded),
          StandardCharsets.UTF_8);
    }
    return seeded;
  }
}
