package io.innkeeper.perf.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * bench's chart: three panels over one time axis, so that each series is drawn on a scale where it
 * can be read: commands per second (tens), queries per second (hundreds), and p99 latencies per
 * second on a log axis (milliseconds to seconds). Dashed lines mark the phases.
 *
 * <p>The picture depends only on the timeline it is given: a fixed size, fonts by their logical
 * names (a headless JDK on Debian resolves them to DejaVu), no date, so the same run always gives
 * the same PNG.
 */
final class BenchChart {

  /** Pixels; fixed, so that charts of different runs compare side by side. */
  static final int WIDTH = 1100;

  static final int HEIGHT = 900;

  /**
   * A panel: its axis label, the timeline's group its series come from, whether the axis is
   * logarithmic, and its series, each a timeline series and its legend name.
   */
  record Panel(String axis, String group, boolean log, Map<String, String> series) {}

  /** The panels from top to bottom; series names in their legend order. */
  static final List<Panel> PANELS =
      List.of(
          new Panel(
              "commands / s",
              "perSecond",
              false,
              ordered("accepted", "commands accepted/s", "processed", "commands processed/s")),
          new Panel("queries / s", "perSecond", false, ordered("queries", "queries answered/s")),
          new Panel(
              "p99 per second, ms (log)",
              "p99MillisPerSecond",
              true,
              ordered(
                  "settle", "accept-to-SUCCEEDED p99",
                  "lag", "event-to-read-model lag p99",
                  "query", "query p99")));

  // One colour per series across all panels, so the single legend is unambiguous.
  private static final Paint[] COLOURS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
    new Color(0x9467bd), new Color(0xd62728), new Color(0x8c564b)
  };

  private static final String FONT = Font.SANS_SERIF;

  private BenchChart() {}

  /**
   * Draws the timeline of a report as {@code bench.json} holds it: {@code phases} ({@code second},
   * {@code phase}), {@code perSecond} and {@code p99MillisPerSecond} (lists, {@code null} for a
   * second without samples).
   */
  @SuppressWarnings("unchecked")
  static JFreeChart chart(Map<String, Object> timeline) {
    int seconds =
        ((List<?>) ((Map<String, Object>) timeline.get("perSecond")).get("accepted")).size();

    NumberAxis time = new NumberAxis("seconds since bench started");
    time.setRange(0, Math.max(1, seconds));
    time.setNumberFormatOverride(integers());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(14);

    int colour = 0;
    for (Panel panel : PANELS) {
      Map<String, Object> group = (Map<String, Object>) timeline.get(panel.group());
      XYSeriesCollection data = new XYSeriesCollection();
      XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
      // Else the theme, applied last, replaces these colours with its own palette per panel.
      lines.setAutoPopulateSeriesPaint(false);
      lines.setAutoPopulateSeriesStroke(false);
      for (Map.Entry<String, String> s : panel.series().entrySet()) {
        data.addSeries(series(s.getValue(), (List<?>) group.get(s.getKey()), panel.log()));
        int i = data.getSeriesCount() - 1;
        lines.setSeriesPaint(i, COLOURS[colour++]);
        lines.setSeriesStroke(i, new BasicStroke(1.8f));
      }
      ValueAxis axis = panel.log() ? logAxis(panel.axis(), data) : rateAxis(panel.axis());
      XYPlot subplot = new XYPlot(data, null, axis, lines);
      boolean top = plot.getSubplots().isEmpty();
      phases(subplot, (List<Map<String, Object>>) timeline.get("phases"), top, seconds);
      // The latency panel, with three series over several decades, gets the most height.
      plot.add(subplot, panel.log() ? 3 : 2);
    }

    JFreeChart chart = new JFreeChart(plot);
    theme().apply(chart);
    chart.setTitle(new TextTitle("bench: throughput and latency over time", font(Font.BOLD, 16)));
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(BlockBorder.NONE);
    legend.setItemFont(font(Font.PLAIN, 12));
    return chart;
  }

  /** The chart as a PNG of {@link #WIDTH} by {@link #HEIGHT} pixels. */
  static byte[] png(JFreeChart chart) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    return out.toByteArray();
  }

  private static XYSeries series(String name, List<?> values, boolean log) {
    XYSeries series = new XYSeries(name, false, false);
    for (int second = 0; second < values.size(); second++) {
      Object v = values.get(second);
      // A second without samples is a gap; so is a latency of 0, which a log axis cannot place.
      boolean gap = !(v instanceof Number n) || log && n.doubleValue() <= 0;
      // Each value is the count (or percentile) of the second that starts here.
      series.add(second + 0.5, gap ? null : (Number) v);
    }
    return series;
  }

  private static NumberAxis rateAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(true);
    // Head room for the phase labels above the lines.
    axis.setUpperMargin(0.25);
    axis.setNumberFormatOverride(integers());
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    return axis;
  }

  /**
   * Whole decades around the data, one labelled tick each ({@code 1}, {@code 10}, {@code 100},
   * {@code 1,000}), so the axis always shows at least two readable labels.
   */
  private static LogAxis logAxis(String label, XYSeriesCollection data) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (int s = 0; s < data.getSeriesCount(); s++) {
      XYSeries series = data.getSeries(s);
      for (int i = 0; i < series.getItemCount(); i++) {
        Number y = series.getY(i);
        if (y != null) {
          min = Math.min(min, y.doubleValue());
          max = Math.max(max, y.doubleValue());
        }
      }
    }
    if (max == 0) {
      min = 1;
      max = 1000;
    }
    double low = Math.pow(10, Math.floor(Math.log10(min)));
    double high = Math.pow(10, Math.ceil(Math.log10(max)));
    if (high <= low) {
      high = low * 10;
    }
    LogAxis axis = new LogAxis(label);
    axis.setBase(10);
    // A hair above the top decade: log10(1000) computes as 2.9999999999999996, and LogAxis would
    // leave that decade's label out.
    axis.setRange(low, high * (1 + 1e-6));
    axis.setTickUnit(new NumberTickUnit(1));
    axis.setNumberFormatOverride(
        new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    axis.setMinorTickMarksVisible(true);
    return axis;
  }

  private static void phases(
      XYPlot subplot, List<Map<String, Object>> phases, boolean labelled, int seconds) {
    for (int i = 0; i < phases.size(); i++) {
      Map<String, Object> phase = phases.get(i);
      double second = ((Number) phase.get("second")).doubleValue();
      ValueMarker marker = new ValueMarker(second);
      marker.setPaint(new Color(0x888888));
      marker.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
      if (labelled) {
        marker.setLabel(String.valueOf(phase.get("phase")));
        marker.setLabelFont(font(Font.PLAIN, 11));
        marker.setLabelPaint(new Color(0x444444));
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 220));
        // Right of the line, but left of it near the end of the axis, where it would be cut off.
        boolean nearTheEnd = second > 0.9 * seconds;
        marker.setLabelAnchor(nearTheEnd ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(nearTheEnd ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
        // Every other label one line lower: phases a few seconds apart do not print over each
        // other.
        marker.setLabelOffset(new RectangleInsets(3 + 14 * (i % 2), 3, 3, 3));
      }
      subplot.addDomainMarker(marker);
    }
  }

  private static StandardChartTheme theme() {
    StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
    theme.setExtraLargeFont(font(Font.BOLD, 16));
    theme.setLargeFont(font(Font.BOLD, 13));
    theme.setRegularFont(font(Font.PLAIN, 12));
    theme.setSmallFont(font(Font.PLAIN, 11));
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(new Color(0xdddddd));
    theme.setRangeGridlinePaint(new Color(0xdddddd));
    return theme;
  }

  private static Font font(int style, int size) {
    return new Font(FONT, style, size);
  }

  private static DecimalFormat integers() {
    return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
  }

  private static Map<String, String> ordered(String... keysAndNames) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndNames.length; i += 2) {
      map.put(keysAndNames[i], keysAndNames[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
