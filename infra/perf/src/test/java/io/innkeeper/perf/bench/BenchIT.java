package io.innkeeper.perf.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
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
                "2",
                "--warmup",
                "1",
                "--ceiling",
                "1",
                "--clients",
                "2",
                "--ceiling-threads",
                "4",
                "--hotels",
                "2",
                "--progress",
                "1",
                // The isolation phase waits out the subscriber queue's visibility timeout (90 s)
                // for the catch-up; IntegrationEventsIT proves the isolation, so it is left out.
                "--outage",
                "0",
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
          p.path("eventToSubscriberQueueSamples").asLong() > 0,
          phase + ": events reached the benchmark's own queue on the bus");
      assertTrue(p.path("eventToSubscriberQueueMillis").path("p99").asDouble() >= 0, phase);
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

    assertTrue(r.path("isolation").isMissingNode(), "--outage 0 skips the isolation phase");

    JsonNode q = r.path("queries");
    assertTrue(q.path("answered").asLong() > 0);
    assertEquals(0, q.path("errors").asLong(), q.path("errorStatuses").toString());

    JsonNode c = r.path("ceiling");
    assertTrue(c.path("write").path("perSecond").asDouble() > 0);
    assertEquals(0, c.path("write").path("failed").asLong(), "every replayed booking committed");
    assertTrue(c.path("read").path("perSecond").asDouble() > 0);
    assertTrue(c.path("queryApiInProcess").path("perSecond").asDouble() > 0);
    assertTrue(c.path("everyRequest").path("perSecond").asDouble() > 0);
    assertEquals(
        0,
        c.path("everyRequest").path("failed").asLong(),
        "every replayed request of a booking (intake, handler, projector) succeeded");
    assertTrue(
        c.path("dynamoDbCallsPerBooking").asDouble() >= 4,
        "a booking's requests: two intake puts, the handler's transaction, the projector's write: "
            + c);
    assertTrue(c.path("bookingsPerSecondAtEveryRequestCeiling").asDouble() > 0);
    // The storage work's nine and the event bus's latency; the isolation phase's two only with
    // --outage, which this run leaves out.
    assertEquals(10, r.path("goals").size(), r.path("goals").toString());
    assertTrue(
        r.path("goals").toString().contains("event to subscriber queue p99"),
        r.path("goals").toString());

    JsonNode flash = r.path("flashSale");
    assertTrue(flash.path("accepted").asLong() > 0, "the flash sale ran: " + flash);
    assertTrue(
        flash.path("outcomes").path("SUCCEEDED").asLong() > 0,
        "flash sale " + flash.path("outcomes"));

    JsonNode cost = r.path("cost");
    double bookings = cost.path("dollarsPerMillionBookings").path("total").asDouble();
    assertTrue(bookings > 1, "a booking costs at least the API request: " + cost);
    assertTrue(cost.path("perBooking").path("dynamoDbWriteUnits").asDouble() > 0);
    assertTrue(cost.path("perQuery").path("dynamoDbReadUnits").asDouble() > 0);

    String md = Files.readString(out.resolve("bench.md"));
    assertTrue(md.contains("| processed/s |"), md);
    assertTrue(md.contains("dollars per million"), md);
    assertTrue(md.contains("](bench.png)"), "the report shows the chart: " + md);

    // The chart is a PNG of the fixed size, and it is exactly this run's timeline drawn again.
    byte[] png = Files.readAllBytes(out.resolve("bench.png"));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(BenchChart.WIDTH, image.getWidth());
    assertEquals(BenchChart.HEIGHT, image.getHeight());
    @SuppressWarnings("unchecked")
    Map<String, Object> timeline = new ObjectMapper().convertValue(r.path("timeline"), Map.class);
    JFreeChart chart = BenchChart.chart(timeline);
    assertArrayEquals(
        BenchChart.png(chart), png, "bench.png is the chart of bench.json's timeline");
    int seconds = r.path("timeline").path("perSecond").path("accepted").size();
    List<List<String>> names = new ArrayList<>();
    Map<String, Double> drawn = new HashMap<>();
    for (XYPlot panel : ((CombinedDomainXYPlot) chart.getXYPlot()).getSubplots()) {
      XYSeriesCollection data = (XYSeriesCollection) panel.getDataset();
      List<String> panelNames = new ArrayList<>();
      for (int i = 0; i < data.getSeriesCount(); i++) {
        XYSeries series = data.getSeries(i);
        String name = String.valueOf(series.getKey());
        panelNames.add(name);
        assertEquals(seconds, series.getItemCount(), name + ": a point a second");
        for (int k = 0; k < seconds; k++) {
          Number y = series.getY(k);
          drawn.merge(name, y == null ? 0 : y.doubleValue(), Double::sum);
        }
      }
      names.add(panelNames);
    }
    assertEquals(
        List.of(
            List.of("commands accepted/s", "commands processed/s"),
            List.of("queries answered/s"),
            List.of("accept-to-SUCCEEDED p99", "event-to-read-model lag p99", "query p99")),
        names);
    assertTrue(drawn.get("commands processed/s") > 0, "the run's commands are drawn: " + drawn);
    assertTrue(drawn.get("queries answered/s") > 0, "the run's queries are drawn: " + drawn);
  }
}
