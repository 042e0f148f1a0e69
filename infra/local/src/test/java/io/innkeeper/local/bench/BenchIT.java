package io.innkeeper.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short smoke run of {@code bench}: every phase runs against a runtime of its own and the reports
 * say what happened. The figures of a run this short mean nothing; that they are there, consistent
 * and positive does.
 */
class BenchIT {

  @Test
  void a_short_run_measures_every_phase_and_writes_its_reports(@TempDir Path out) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit =
        BenchCommand.run(
            List.of(
                "--duration",
                "3",
                "--warmup",
                "2",
                "--ceiling",
                "2",
                "--clients",
                "2",
                "--ceiling-threads",
                "4",
                "--hotels",
                "2",
                "--progress",
                "1",
                "--out",
                out.toString()),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);
    String said = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, said);
    assertTrue(said.contains("bench:   full speed"), "a progress line while it runs: " + said);

    JsonNode r = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    for (String phase : List.of("fullSpeed", "halfSpeed")) {
      JsonNode p = r.path("commands").path(phase);
      assertTrue(p.path("accepted").asLong() > 0, phase + " accepted commands");
      assertTrue(p.path("processedPerSecond").asDouble() > 0, phase);
      assertTrue(p.path("allProcessed").asBoolean(), phase + ": every accepted command processed");
      assertEquals(0, p.path("refused").asLong(), phase + ": " + p.path("httpStatuses"));
      assertTrue(p.path("outcomes").path("SUCCEEDED").asLong() > 0, phase + " " + p);
      assertTrue(p.path("acceptToSucceededMillis").path("p99").asDouble() > 0, phase);
      assertTrue(p.path("lagSamples").asLong() > 0, phase + ": the projector's lag was seen");
      assertTrue(
          p.path("callsPerCommand").path("command-handler/DynamoDb.TransactWriteItems").asDouble()
              > 0,
          phase + ": the meter saw the handler's transactions " + p.path("callsPerCommand"));
    }
    JsonNode half = r.path("commands").path("halfSpeed");
    assertEquals(
        half.path("pacedAtPerSecond").asDouble(),
        r.path("commands").path("fullSpeed").path("processedPerSecond").asDouble() / 2,
        0.01,
        "half speed is paced at half the full-speed rate");

    JsonNode q = r.path("queries");
    assertTrue(q.path("answered").asLong() > 0);
    assertEquals(0, q.path("errors").asLong(), q.path("errorStatuses").toString());

    JsonNode c = r.path("ceiling");
    assertTrue(c.path("write").path("perSecond").asDouble() > 0);
    assertEquals(0, c.path("write").path("failed").asLong(), "every replayed booking committed");
    assertTrue(c.path("read").path("perSecond").asDouble() > 0);
    assertTrue(c.path("queryApiInProcess").path("perSecond").asDouble() > 0);
    assertEquals(4, r.path("goals").size());

    JsonNode cost = r.path("cost");
    double bookings = cost.path("dollarsPerMillionBookings").path("total").asDouble();
    assertTrue(bookings > 1, "a booking costs at least the API request: " + cost);
    assertTrue(cost.path("perBooking").path("dynamoDbWriteUnits").asDouble() > 0);
    assertTrue(cost.path("perQuery").path("dynamoDbReadUnits").asDouble() > 0);

    String md = Files.readString(out.resolve("bench.md"));
    assertTrue(md.contains("| processed/s |"), md);
    assertTrue(md.contains("dollars per million"), md);
    String svg = Files.readString(out.resolve("bench.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("<polyline"), "a chart with lines");
  }
}
