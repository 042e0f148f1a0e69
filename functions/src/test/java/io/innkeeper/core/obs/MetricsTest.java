package io.innkeeper.core.obs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.innkeeper.events.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static Map<String, Object> emitted(Runnable emit) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      emit.run();
    } finally {
      System.setErr(original);
    }
    List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), String.valueOf(lines));
    return Json.parseObject(lines.get(0));
  }

  @Test
  @SuppressWarnings("unchecked")
  void a_breakdown_metric_is_published_under_both_dimension_sets() {
    Map<String, Object> line =
        emitted(
            () -> {
              try (Log.Scope s = Log.invocation("command-handler", "commandId", "c1")) {
                Metrics.count(MetricCatalog.COMMANDS_REJECTED, "SOLD_OUT");
              }
            });
    Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
    assertInstanceOf(Number.class, aws.get("Timestamp"));
    Map<String, Object> directive =
        ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
    assertEquals("Innkeeper", directive.get("Namespace"));
    assertEquals(
        List.of(List.of("Service"), List.of("Service", "Reason")), directive.get("Dimensions"));
    assertEquals(
        List.of(Map.of("Name", "CommandsRejected", "Unit", "Count")), directive.get("Metrics"));
    assertEquals("SOLD_OUT", line.get("Reason"));
    assertInstanceOf(String.class, line.get("Service"));
    assertEquals(1, ((Number) line.get("CommandsRejected")).intValue());
    // Still a log line of the invocation.
    assertEquals("metric", line.get("msg"));
    assertEquals("command-handler", line.get("function"));
    assertEquals("c1", line.get("commandId"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void a_metric_without_breakdown_has_only_the_service_dimension() {
    Map<String, Object> line =
        emitted(() -> Metrics.put(MetricCatalog.PROJECTION_LAG, 42, "hotels"));
    Map<String, Object> directive =
        ((List<Map<String, Object>>)
                ((Map<String, Object>) line.get("_aws")).get("CloudWatchMetrics"))
            .get(0);
    assertEquals(
        List.of(Map.of("Name", "ProjectionLag", "Unit", "Milliseconds")), directive.get("Metrics"));
    assertEquals(42, ((Number) line.get("ProjectionLag")).intValue());
    assertEquals("hotels", line.get("Projection"));

    Map<String, Object> failed = emitted(() -> Metrics.count(MetricCatalog.COMMANDS_FAILED));
    Map<String, Object> d =
        ((List<Map<String, Object>>)
                ((Map<String, Object>) failed.get("_aws")).get("CloudWatchMetrics"))
            .get(0);
    assertEquals(List.of(List.of("Service")), d.get("Dimensions"));
  }
}
