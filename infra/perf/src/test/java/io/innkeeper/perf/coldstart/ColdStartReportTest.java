package io.innkeeper.perf.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartReportTest {

  private static final Path JAR = Path.of("functions.jar");

  @Test
  void the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
    assertEquals(3.0, ColdStartReport.median(new double[] {9, 1, 3}));
    assertEquals(2.5, ColdStartReport.median(new double[] {4, 1, 3, 2}));
    assertTrue(Double.isNaN(ColdStartReport.median(new double[0])));
  }

  @Test
  void the_ratio_is_the_median_total_over_the_hello_worlds_and_is_held_to_two_and_a_half() {
    ColdStartReport report = new ColdStartReport(3);
    // hello-world totals 100, 110, 400 (median 110: one slow run does not move it)
    ColdStartReport.Function hello = function(report, ColdStartReport.HELLO, 900);
    hello.runs.add(run(1, 50, 40, 10));
    hello.runs.add(run(2, 60, 40, 10));
    hello.runs.add(run(3, 300, 90, 10));
    ColdStartReport.Function fast = function(report, "fast", 10_000_000);
    fast.runs.add(run(1, 200, 50, 25)); // 275 = 2.5 x 110: just met
    fast.runs.add(run(2, 200, 50, 25));
    fast.runs.add(run(3, 900, 50, 25));
    ColdStartReport.Function slow = function(report, "slow", 10_000_000);
    slow.runs.add(run(1, 200, 50, 26)); // 276 > 275
    slow.runs.add(run(2, 200, 50, 26));
    slow.runs.add(run(3, 200, 50, 26));

    assertEquals(110.0, hello.medianTotal(), 1e-9);
    assertEquals(2.5, report.ratio(fast), 1e-9);
    assertTrue(report.ratioMet(fast));
    assertFalse(report.ratioMet(slow));
    assertEquals("met", report.verdict(fast));
    assertTrue(report.verdict(slow).startsWith("MISSED: ratio 2.51"), report.verdict(slow));
    assertFalse(report.goalsMet());
    assertTrue(report.allServed());
  }

  @Test
  void an_artifact_over_twelve_megabytes_misses_its_goal_whatever_its_speed() {
    ColdStartReport report = new ColdStartReport(1);
    function(report, ColdStartReport.HELLO, 900).runs.add(run(1, 100, 100, 100));
    ColdStartReport.Function small = function(report, "small", 12_000_000);
    small.runs.add(run(1, 100, 100, 100));
    ColdStartReport.Function big = function(report, "big", 12_000_001);
    big.runs.add(run(1, 100, 100, 100));

    assertTrue(report.sizeMet(small));
    assertFalse(report.sizeMet(big));
    assertEquals("MISSED: 12,000,001 B > 12 MB", report.verdict(big));
  }

  @Test
  void a_run_that_did_not_serve_its_event_is_left_out_of_the_medians_and_reported() {
    ColdStartReport report = new ColdStartReport(2);
    function(report, ColdStartReport.HELLO, 900).runs.add(run(1, 100, 100, 100));
    ColdStartReport.Function f = function(report, "api", 1000);
    f.runs.add(run(1, 100, 100, 100));
    f.runs.add(new ColdStartReport.Run(2, 5, 5, 5, 5, 20, null, "answered {\"statusCode\":500}"));

    assertEquals(300.0, f.medianTotal(), 1e-9);
    assertFalse(f.allServed());
    assertFalse(report.allServed());
    assertTrue(report.verdict(f).contains("1/2 runs served"), report.verdict(f));
    String markdown = report.toMarkdown();
    assertTrue(markdown.contains("**no**: answered {\"statusCode\":500}"), markdown);
  }

  @Test
  void the_json_and_markdown_carry_every_function_and_the_snapstart_caveat() {
    ColdStartReport report = new ColdStartReport(1);
    function(report, ColdStartReport.HELLO, 900).runs.add(run(1, 100, 100, 100));
    function(report, "command-api", 10_259_555).runs.add(run(1, 300, 200, 100));
    report.describe("cores", 2);

    Map<String, Object> json = report.toJson();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> functions = (List<Map<String, Object>>) json.get("functions");
    assertEquals(
        List.of(ColdStartReport.HELLO, "command-api"),
        functions.stream().map(f -> f.get("function")).toList());
    Map<String, Object> api = functions.get(1);
    assertEquals(10_259_555L, api.get("artifactBytes"));
    assertEquals(500.0, api.get("medianInitMs"));
    assertEquals(600.0, api.get("medianTotalMs"));
    assertEquals(2.0, api.get("ratioToHelloWorld"));
    assertEquals(true, api.get("ratioGoalMet"));
    assertEquals(true, json.get("allServed"));

    String markdown = report.toMarkdown();
    assertTrue(markdown.contains("| command-api | 10,259,555 | 500 |"), markdown);
    assertTrue(markdown.contains("SnapStart"), markdown);
    assertTrue(markdown.contains("**without** a snapshot"), markdown);
    assertTrue(markdown.contains("- cores: `2`"), markdown);
  }

  @Test
  void the_console_table_keeps_its_columns_for_an_id_longer_than_the_usual_ones() {
    ColdStartReport report = new ColdStartReport(1);
    function(report, ColdStartReport.HELLO, 900).runs.add(run(1, 100, 100, 100));
    function(report, "guest-messages-api", 11_847_351).runs.add(run(1, 300, 200, 100));

    List<String> lines = report.table().lines().toList();
    assertEquals(3, lines.size(), report.table());
    int artifactEnds = lines.get(0).indexOf("artifact bytes") + "artifact bytes".length();
    assertEquals(artifactEnds, lines.get(1).indexOf(" 900 ") + " 900".length(), report.table());
    assertEquals(
        artifactEnds, lines.get(2).indexOf("11,847,351") + "11,847,351".length(), report.table());
    assertTrue(lines.get(2).startsWith("guest-messages-api "), report.table());
  }

  private static ColdStartReport.Function function(ColdStartReport report, String id, long bytes) {
    return report.add(new ColdStartReport.Function(id, "Handler", 1024, JAR, bytes, "an event"));
  }

  /** A served run: jvm + handler init (half of it the constructor) + invoke. */
  private static ColdStartReport.Run run(int run, double jvm, double handlerInit, double invoke) {
    return new ColdStartReport.Run(run, jvm, handlerInit, handlerInit / 2, invoke, 0, "ok", null);
  }
}
