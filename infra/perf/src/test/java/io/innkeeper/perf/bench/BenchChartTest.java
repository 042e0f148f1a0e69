package io.innkeeper.perf.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.text.AttributedCharacterIterator;
import java.text.AttributedString;
import java.text.CharacterIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class BenchChartTest {

  @Test
  void eachScaleHasItsOwnPanelWithItsSeriesOverOneTimeAxis() {
    List<XYPlot> panels = panels(BenchChart.chart(timeline()));

    assertEquals(3, panels.size());
    assertEquals(List.of("commands accepted/s", "commands processed/s"), names(panels.get(0)));
    assertEquals(List.of("queries answered/s"), names(panels.get(1)));
    assertEquals(
        List.of("accept-to-SUCCEEDED p99", "event-to-read-model lag p99", "query p99"),
        names(panels.get(2)));
    assertInstanceOf(NumberAxis.class, panels.get(0).getRangeAxis());
    assertInstanceOf(NumberAxis.class, panels.get(1).getRangeAxis());
    assertInstanceOf(LogAxis.class, panels.get(2).getRangeAxis());
    // The commands' tens are not squashed under the queries' hundreds.
    assertTrue(panels.get(0).getRangeAxis().getUpperBound() < 100);
    assertTrue(panels.get(1).getRangeAxis().getUpperBound() > 500);
  }

  @Test
  void everyPanelMarksThePhasesAndTheTopOneNamesThem() {
    List<XYPlot> panels = panels(BenchChart.chart(timeline()));

    List<String> labels = new ArrayList<>();
    for (Object marker : panels.get(0).getDomainMarkers(Layer.FOREGROUND)) {
      labels.add(((Marker) marker).getLabel());
    }
    assertEquals(List.of("warm-up", "full speed", "queries", "end"), labels);
    for (XYPlot panel : panels.subList(1, 3)) {
      assertEquals(4, panel.getDomainMarkers(Layer.FOREGROUND).size());
    }
  }

  @Test
  void secondsWithoutSamplesAndZeroLatenciesAreGapsNotZeros() {
    XYPlot latency = panels(BenchChart.chart(timeline())).get(2);
    XYSeries query = ((XYSeriesCollection) latency.getDataset()).getSeries("query p99");

    assertEquals(8, query.getItemCount());
    assertNull(query.getY(0), "no sample");
    assertNull(query.getY(1), "0 ms has no place on a log axis");
    assertEquals(4.5, query.getY(2).doubleValue());
    assertEquals(2.5, query.getX(2).doubleValue(), "a second's value sits in its middle");
  }

  @Test
  void theLatencyAxisSpansWholeDecadesWithPlainNumbersAsLabels() {
    LogAxis axis = (LogAxis) panels(BenchChart.chart(timeline())).get(2).getRangeAxis();

    assertEquals(1, axis.getLowerBound(), 1e-9);
    assertEquals(1000, axis.getUpperBound(), 0.01);
    List<String> labels = new ArrayList<>();
    BufferedImage canvas = new BufferedImage(200, 400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      for (Object tick :
          axis.refreshTicks(
              g, new AxisState(), new Rectangle2D.Double(0, 0, 200, 400), RectangleEdge.LEFT)) {
        AttributedString label = ((LogTick) tick).getAttributedLabel();
        if (label != null) {
          StringBuilder text = new StringBuilder();
          AttributedCharacterIterator chars = label.getIterator();
          for (char c = chars.first(); c != CharacterIterator.DONE; c = chars.next()) {
            text.append(c);
          }
          labels.add(text.toString());
        }
      }
    } finally {
      g.dispose();
    }
    assertEquals(List.of("1", "10", "100", "1,000"), labels);
  }

  @Test
  void thePngHasTheFixedSizeAndTheSameTimelineAlwaysGivesTheSameBytes() throws Exception {
    byte[] first = BenchChart.png(BenchChart.chart(timeline()));
    byte[] second = BenchChart.png(BenchChart.chart(timeline()));

    BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
    assertEquals(BenchChart.WIDTH, image.getWidth());
    assertEquals(BenchChart.HEIGHT, image.getHeight());
    assertArrayEquals(first, second);
  }

  @Test
  void aRunWithoutLatencySamplesStillDrawsAReadableAxis() throws Exception {
    Map<String, Object> timeline = timeline();
    Map<String, Object> p99 = new LinkedHashMap<>();
    for (String s : List.of("settle", "lag", "query")) {
      p99.put(s, Arrays.asList(new Object[8]));
    }
    timeline.put("p99MillisPerSecond", p99);

    JFreeChart chart = BenchChart.chart(timeline);

    LogAxis axis = (LogAxis) panels(chart).get(2).getRangeAxis();
    assertEquals(1, axis.getLowerBound(), 1e-9);
    assertEquals(1000, axis.getUpperBound(), 0.01);
    assertEquals(
        BenchChart.WIDTH, ImageIO.read(new ByteArrayInputStream(BenchChart.png(chart))).getWidth());
  }

  /** Eight seconds as bench.json holds them: warm-up, full speed, queries. */
  private static Map<String, Object> timeline() {
    Map<String, Object> perSecond = new LinkedHashMap<>();
    perSecond.put("accepted", List.of(10.0, 30.0, 42.0, 40.0, 41.0, 0.0, 0.0, 0.0));
    perSecond.put("processed", List.of(8.0, 29.0, 40.0, 41.0, 40.0, 2.0, 0.0, 0.0));
    perSecond.put("queries", List.of(0.0, 0.0, 0.0, 0.0, 0.0, 760.0, 810.0, 790.0));
    Map<String, Object> p99 = new LinkedHashMap<>();
    p99.put("settle", Arrays.asList(30.2, 420.0, 870.0, 650.0, 700.0, null, null, null));
    p99.put("lag", Arrays.asList(12.0, 40.0, 95.5, 88.0, 90.0, 3.2, null, null));
    p99.put("query", Arrays.asList(null, 0.0, 4.5, 5.0, 6.0, 30.0, 34.0, 33.0));
    List<Map<String, Object>> phases =
        List.of(
            Map.of("second", 0.0, "phase", "warm-up"),
            Map.of("second", 1.2, "phase", "full speed"),
            Map.of("second", 5.1, "phase", "queries"),
            Map.of("second", 8.0, "phase", "end"));
    Map<String, Object> timeline = new LinkedHashMap<>();
    timeline.put("phases", phases);
    timeline.put("perSecond", perSecond);
    timeline.put("p99MillisPerSecond", p99);
    return timeline;
  }

  private static List<XYPlot> panels(JFreeChart chart) {
    return ((CombinedDomainXYPlot) chart.getXYPlot()).getSubplots();
  }

  private static List<String> names(XYPlot panel) {
    List<String> names = new ArrayList<>();
    XYSeriesCollection data = (XYSeriesCollection) panel.getDataset();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      names.add(String.valueOf(data.getSeriesKey(i)));
    }
    return names;
  }
}
