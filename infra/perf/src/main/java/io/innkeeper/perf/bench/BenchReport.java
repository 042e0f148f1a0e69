package io.innkeeper.perf.bench;

import io.innkeeper.client.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a bench run as JSON, as a Markdown report, and as a chart over time (a PNG). */
final class BenchReport {

  /** The chart's file name in the reports directory. */
  static final String CHART = "bench.png";

  static final String[] RATE_SERIES = {"accepted", "processed", "queries"};
  static final String[] LATENCY_SERIES = {"settle", "lag", "query"};

  private BenchReport() {}

  @SuppressWarnings("unchecked")
  static void write(Map<String, Object> report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> clean = (Map<String, Object>) sanitize(report);
    Files.writeString(dir.resolve("bench.json"), Json.pretty(clean) + "\n");
    Files.writeString(dir.resolve("bench.md"), markdown(report));
    // A command-line tool draws off screen: no display needed, no window or dock icon anywhere.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // From the figures as bench.json has them, so the chart can be redrawn from that file alone.
    Files.write(
        dir.resolve(CHART),
        BenchChart.png(BenchChart.chart((Map<String, Object>) clean.get("timeline"))));
  }

  /** NaN (no samples) becomes null: JSON has no NaN. */
  static Object sanitize(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sanitize(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(sanitize(v)));
      return out;
    }
    if (value instanceof double[] a) {
      List<Object> out = new ArrayList<>();
      for (double d : a) {
        out.add(Double.isNaN(d) ? null : BenchCommand.round(d));
      }
      return out;
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    return value;
  }

  static Map<String, Object> timelineJson(Timeline t) {
    List<Timeline.Marker> markers = t.markers();
    int last = (int) Math.ceil(markers.get(markers.size() - 1).second());
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> phases = new ArrayList<>();
    for (Timeline.Marker marker : markers) {
      phases.add(Map.of("second", BenchCommand.round(marker.second()), "phase", marker.label()));
    }
    m.put("phases", phases);
    Map<String, Object> perSecond = new LinkedHashMap<>();
    for (String s : RATE_SERIES) {
      perSecond.put(s, t.rate(s, last));
    }
    m.put("perSecond", perSecond);
    Map<String, Object> p99 = new LinkedHashMap<>();
    for (String s : LATENCY_SERIES) {
      p99.put(s, t.percentile(s, 99, last));
    }
    m.put("p99MillisPerSecond", p99);
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Markdown

  @SuppressWarnings("unchecked")
  static String markdownSummary(Map<String, Object> r) {
    StringBuilder md = new StringBuilder();
    Map<String, Object> commands = (Map<String, Object>) r.get("commands");
    Map<String, Object> full = (Map<String, Object>) commands.get("fullSpeed");
    Map<String, Object> half = (Map<String, Object>) commands.get("halfSpeed");
    Map<String, Object> queries = (Map<String, Object>) r.get("queries");
    Map<String, Object> ceiling = (Map<String, Object>) r.get("ceiling");
    Map<String, Object> write = (Map<String, Object>) ceiling.get("write");
    Map<String, Object> read = (Map<String, Object>) ceiling.get("read");
    md.append("| | full speed (mix) | half speed (bookings) |\n|---|---:|---:|\n");
    row(md, "accepted/s", full.get("acceptedPerSecond"), half.get("acceptedPerSecond"));
    row(md, "processed/s", full.get("processedPerSecond"), half.get("processedPerSecond"));
    row(
        md,
        "accept-to-SUCCEEDED p50 / p95 / p99 ms",
        ppp(full.get("acceptToSucceededMillis")),
        ppp(half.get("acceptToSucceededMillis")));
    row(
        md,
        "event-to-read-model lag p50 / p95 / p99 ms",
        ppp(full.get("lagMillis")),
        ppp(half.get("lagMillis")));
    row(
        md,
        "event to subscriber queue p50 / p95 / p99 ms",
        ppp(full.get("eventToSubscriberQueueMillis")),
        ppp(half.get("eventToSubscriberQueueMillis")));
    row(md, "outcomes", full.get("outcomes"), half.get("outcomes"));
    Map<String, Object> down = (Map<String, Object>) commands.get("halfSpeedSubscriberDown");
    Map<String, Object> isolation = (Map<String, Object>) r.get("isolation");
    if (down != null && isolation != null) {
      md.append("\n| half speed (bookings) | without a failure | ")
          .append(isolation.get("service"))
          .append(" down ")
          .append(isolation.get("outageSeconds"))
          .append(" s | ratio p50 / p99 |\n|---|---:|---:|---:|\n");
      md.append("| accept-to-SUCCEEDED p50 / p95 / p99 ms | ")
          .append(ppp(half.get("acceptToSucceededMillis")))
          .append(" | ")
          .append(ppp(down.get("acceptToSucceededMillis")))
          .append(" | ")
          .append(num(isolation.get("acceptToSucceededP50Ratio")))
          .append(" / ")
          .append(num(isolation.get("acceptToSucceededP99Ratio")))
          .append(" |\n");
      md.append("| event-to-read-model lag p50 / p95 / p99 ms | ")
          .append(ppp(half.get("lagMillis")))
          .append(" | ")
          .append(ppp(down.get("lagMillis")))
          .append(" | ")
          .append(num(isolation.get("lagP50Ratio")))
          .append(" / ")
          .append(num(isolation.get("lagP99Ratio")))
          .append(" |\n");
      md.append("| subscriber caught up exactly | | ")
          .append(isolation.get("caughtUpExactly"))
          .append(", ")
          .append(num(isolation.get("caughtUpSecondsAfterOutage")))
          .append(" s after the outage | |\n");
    }
    md.append("\n| queries | |\n|---|---:|\n");
    md.append("| queries/s | ").append(num(queries.get("perSecond"))).append(" |\n");
    Map<String, Object> ql = (Map<String, Object>) queries.get("latencyMillis");
    md.append("| latency p50 / p99 ms | ")
        .append(num(ql.get("p50")))
        .append(" / ")
        .append(num(ql.get("p99")))
        .append(" |\n");
    md.append("| DynamoDB calls per query | ")
        .append(num(queries.get("dynamoDbCallsPerQuery")))
        .append(" |\n");
    md.append(
        "\n| ceiling (same DynamoDB Local, raw) | rate | ours / ceiling |\n|---|---:|---:|\n");
    Map<String, Object> every = (Map<String, Object>) ceiling.get("everyRequest");
    if (every != null) {
      md.append("| ")
          .append(every.get("what"))
          .append(" | ")
          .append(num(every.get("perSecond")))
          .append(" requests/s = ")
          .append(num(ceiling.get("bookingsPerSecondAtEveryRequestCeiling")))
          .append(" bookings/s | processed/s: ")
          .append(pct(ceiling.get("processedVsEveryRequestCeiling")))
          .append(" |\n");
    }
    md.append("| ")
        .append(write.get("what"))
        .append(" | ")
        .append(num(write.get("perSecond")))
        .append("/s | processed/s: ")
        .append(pct(ceiling.get("processedVsWriteCeiling")))
        .append(" |\n");
    md.append("| ")
        .append(read.get("what"))
        .append(" | ")
        .append(num(read.get("perSecond")))
        .append(" calls/s = ")
        .append(num(ceiling.get("queriesPerSecondAtReadCeiling")))
        .append(" queries/s | queries/s: ")
        .append(pct(ceiling.get("queriesVsReadCeiling")))
        .append(" |\n");
    Map<String, Object> inProcess = (Map<String, Object>) ceiling.get("queryApiInProcess");
    md.append("| ")
        .append(inProcess.get("what"))
        .append(" | ")
        .append(num(inProcess.get("perSecond")))
        .append(" queries/s | |\n");
    Map<String, Object> flash = (Map<String, Object>) r.get("flashSale");
    if (flash != null) {
      md.append("\n| flash sale (one room type of one hotel) | |\n|---|---:|\n");
      md.append("| processed/s | ").append(num(flash.get("processedPerSecond"))).append(" |\n");
      md.append("| SUCCEEDED/s | ").append(num(flash.get("succeededPerSecond"))).append(" |\n");
      md.append("| REJECTED/s | ").append(num(flash.get("rejectedPerSecond"))).append(" |\n");
      md.append("| accept-to-SUCCEEDED p50 / p95 / p99 ms | ")
          .append(ppp(flash.get("acceptToSucceededMillis")))
          .append(" |\n");
      md.append("| outcomes | ").append(flash.get("outcomes")).append(" |\n");
      md.append("| rejections | ").append(flash.get("rejections")).append(" |\n");
    }
    md.append("\n| goal | value | met |\n|---|---:|---|\n");
    for (Map<String, Object> g : (List<Map<String, Object>>) r.get("goals")) {
      md.append("| ")
          .append(g.get("goal"))
          .append(" | ")
          .append(num(g.get("value")))
          .append(" | ")
          .append(Boolean.TRUE.equals(g.get("met")) ? "yes" : "**no**")
          .append(" |\n");
    }
    Map<String, Object> cost = (Map<String, Object>) r.get("cost");
    md.append("\n| dollars per million | bookings | queries |\n|---|---:|---:|\n");
    Map<String, Object> b = (Map<String, Object>) cost.get("dollarsPerMillionBookings");
    Map<String, Object> q = (Map<String, Object>) cost.get("dollarsPerMillionQueries");
    for (String line : b.keySet()) {
      md.append("| ")
          .append(line)
          .append(" | ")
          .append(money(b.get(line)))
          .append(" | ")
          .append(money(q.get(line)))
          .append(" |\n");
    }
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    StringBuilder md = new StringBuilder("# Innkeeper bench\n\n");
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    md.append("Run ")
        .append(machine.get("date"))
        .append(" on ")
        .append(machine.get("processors"))
        .append(" processors, ")
        .append(machine.get("java"))
        .append(", ")
        .append(machine.get("os"))
        .append(". Options: `")
        .append(r.get("options"))
        .append("`. Runtime ready in ")
        .append(((Map<String, Object>) r.get("startup")).get("runtimeStartMillis"))
        .append(" ms.\n\n");
    md.append(markdownSummary(r));
    md.append("\n![throughput and latency over time](" + CHART + ")\n");
    Map<String, Object> commands = (Map<String, Object>) r.get("commands");
    for (String phase : List.of("fullSpeed", "halfSpeed")) {
      Map<String, Object> p = (Map<String, Object>) commands.get(phase);
      md.append("\n## Calls per command, ").append(phase).append("\n\n");
      md.append("| function/service.operation | calls | capacity units |\n|---|---:|---:|\n");
      Map<String, Object> calls = (Map<String, Object>) p.get("callsPerCommand");
      Map<String, Object> units = (Map<String, Object>) p.get("capacityUnitsPerCommand");
      for (String k : calls.keySet()) {
        md.append("| ")
            .append(k)
            .append(" | ")
            .append(num(calls.get(k)))
            .append(" | ")
            .append(units.containsKey(k) ? num(units.get(k)) : "")
            .append(" |\n");
      }
      md.append("\nHandlers: `").append(p.get("handlers")).append("`\n");
    }
    Map<String, Object> queries = (Map<String, Object>) r.get("queries");
    md.append("\n## Calls per query\n\n`")
        .append(queries.get("callsPerQuery"))
        .append("`\n\nHandlers: `")
        .append(queries.get("handlers"))
        .append("`\n");
    Map<String, Object> cost = (Map<String, Object>) r.get("cost");
    md.append("\n## Cost model inputs\n\nPrices: ")
        .append(cost.get("pricesAsOf"))
        .append(": `")
        .append(cost.get("prices"))
        .append("`.\n\nPer booking: `")
        .append(cost.get("perBooking"))
        .append("`\n\nPer query: `")
        .append(cost.get("perQuery"))
        .append("`\n");
    return md.toString();
  }

  private static void row(StringBuilder md, String name, Object a, Object b) {
    md.append("| ").append(name).append(" | ").append(num(a)).append(" | ").append(num(b));
    md.append(" |\n");
  }

  @SuppressWarnings("unchecked")
  private static String ppp(Object percentiles) {
    Map<String, Object> m = (Map<String, Object>) percentiles;
    return num(m.get("p50")) + " / " + num(m.get("p95")) + " / " + num(m.get("p99"));
  }

  private static String num(Object v) {
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return "–";
      }
      return d >= 100
          ? String.format(Locale.ROOT, "%.0f", d)
          : String.format(Locale.ROOT, "%.1f", d);
    }
    return String.valueOf(v);
  }

  private static String pct(Object v) {
    return v instanceof Double d && !d.isNaN()
        ? String.format(Locale.ROOT, "%.0f%%", d * 100)
        : "–";
  }

  private static String money(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "$%.2f", d) : String.valueOf(v);
  }
}
