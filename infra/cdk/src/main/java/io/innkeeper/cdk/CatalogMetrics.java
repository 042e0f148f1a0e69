package io.innkeeper.cdk;

import io.innkeeper.core.obs.MetricCatalog;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The functions' custom metrics ({@link MetricCatalog}) as CloudWatch metrics of one deployment,
 * for the alarms and the dashboard. Names, namespace and dimensions come from the catalog only, so
 * what the stack reads cannot drift from what the functions write.
 */
final class CatalogMetrics {

  private final String service;

  /**
   * @param service the {@link MetricCatalog#SERVICE} dimension's value, i.e. what the functions get
   *     in {@link MetricCatalog#SERVICE_NAME_ENV}
   */
  CatalogMetrics(String service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** {@code metric} over every breakdown: the {@code [Service]} dimension set. */
  Metric total(MetricCatalog.Metric metric, String statistic, Duration period) {
    return Metric.Builder.create()
        .namespace(MetricCatalog.NAMESPACE)
        .metricName(metric.name())
        .dimensionsMap(Map.of(MetricCatalog.SERVICE, service))
        .statistic(statistic)
        .period(period)
        // No label: an alarm on a labelled metric renders as metric math, hiding the metric name.
        .build();
  }

  /** One part of {@code metric}: the {@code [Service, breakdown]} dimension set. */
  Metric part(MetricCatalog.Metric metric, String value, String statistic, Duration period) {
    return Metric.Builder.create()
        .namespace(MetricCatalog.NAMESPACE)
        .metricName(metric.name())
        .dimensionsMap(Map.of(MetricCatalog.SERVICE, service, breakdown(metric), value))
        .statistic(statistic)
        .period(period)
        .label(value)
        .build();
  }

  /**
   * Every part of {@code metric}, one line per breakdown value that has data: for breakdowns whose
   * values the stack cannot know, such as rejection reasons, which belong to the domain.
   */
  IMetric everyPart(MetricCatalog.Metric metric, String statistic, Duration period) {
    String dimensions =
        "{" + MetricCatalog.NAMESPACE + "," + MetricCatalog.SERVICE + "," + breakdown(metric) + "}";
    String query =
        dimensions
            + " MetricName=\""
            + metric.name()
            + "\" "
            + MetricCatalog.SERVICE
            + "=\""
            + service
            + "\"";
    return MathExpression.Builder.create()
        .expression(
            "SEARCH('" + query + "', '" + statistic + "', " + period.toSeconds().intValue() + ")")
        .usingMetrics(Map.of())
        .period(period)
        // CloudWatch's dynamic label: one line per breakdown value, named by it.
        .label("${PROP('Dim." + breakdown(metric) + "')}")
        .build();
  }

  private static String breakdown(MetricCatalog.Metric metric) {
    if (metric.breakdown() == null) {
      throw new IllegalArgumentException(metric.name() + " has no breakdown dimension");
    }
    return metric.breakdown();
  }
}
