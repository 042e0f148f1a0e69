package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.innkeeper.local.console.Console;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The console in a real headless Chromium ({@link Browser}), against a runtime of its own with the
 * demo data: a booking sent from the page shows every step of its journey within 5 s, and reads
 * back with its token; rejected and refused commands show their reason where it was given; the lag
 * chart draws the lag the runtime measured; an aggregate's history shows the rows each event
 * changed and verify of a projection shows no drift; a parked record appears, and disappears after
 * the page's redrive; and when the runtime stops, the page says so. One browser for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  /** The issue's figure: from the click to every step on the page. */
  private static final Duration EVERY_STEP = Duration.ofSeconds(5);

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalRuntime runtime;
  private static Browser browser;
  private static ChromeDriver page;
  private static Api api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    Browser.skipReason().ifPresent(Assumptions::abort);
    runtime = LocalRuntime.start(LocalOptions.defaults().withPort(0));
    api = new Api(runtime.apiUrl());
    admin = runtime.mintToken("console-it-admin", List.of("admin"));
    browser = Browser.start();
    page = browser.driver();
    page.get(runtime.apiUrl() + Console.PATH);
    browser
        .waitUpTo(SETTLE)
        .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  @Order(1)
  void a_booking_sent_from_the_page_shows_every_step_within_5_s() throws Exception {
    choose("Book a double room for two nights");

    long clicked = System.nanoTime();
    page.findElement(By.id("send")).click();
    Set<String> expected = new TreeSet<>(List.of("accepted", "received", "decided", "recorded"));
    expected.addAll(List.of("projected", "watermark", "visible"));
    browser.waitUpTo(EVERY_STEP).until(d -> kinds().containsAll(expected));
    long millis = (System.nanoTime() - clicked) / 1_000_000;
    assertTrue(millis <= EVERY_STEP.toMillis(), "every step shown after " + millis + " ms");
    System.out.println(
        "[innkeeper] console: every step of a booking shown " + millis + " ms after the click");
    if (!overview().path("subscriptions").isEmpty()) {
      // The bus's deliveries are steps of the journey too. Subscribers run apart from the
      // command's path on purpose (a slow one never holds a booking back), so they are awaited
      // on their own, and the time they took is printed rather than bounded.
      Set<String> bus = Set.of("published", "subscriber");
      browser.waitUpTo(SETTLE).until(d -> kinds().containsAll(bus));
      System.out.println(
          "[innkeeper] console: the bus's deliveries shown "
              + (System.nanoTime() - clicked) / 1_000_000
              + " ms after the click");
    }

    // The page's steps are the journal's, in time order, with each projection the event reached.
    String commandId = selectedCommand();
    JsonNode journey = journey(commandId);
    assertEquals("SUCCEEDED", journey.path("status").asText(), journey.toString());
    List<String> projections = new ArrayList<>();
    for (JsonNode step : journey.path("journey")) {
      if (step.path("kind").asText().equals("projected")) {
        projections.add(step.path("detail").path("projection").asText());
      }
    }
    assertTrue(projections.size() >= 2, "the booking reached several projections: " + projections);
    List<Step> steps = steps();
    List<Step> shown = steps.stream().filter(st -> st.kind().equals("projected")).toList();
    assertEquals(projections.size(), shown.size(), steps.toString());
    for (String projection : projections) {
      assertTrue(
          shown.stream().anyMatch(st -> st.text().contains("projection " + projection)),
          projection);
    }
    List<Long> offsets = new ArrayList<>();
    for (Step st : steps) {
      offsets.add(Long.parseLong(st.offset().replaceAll("[^0-9]", "")));
    }
    List<Long> sorted = new ArrayList<>(offsets);
    sorted.sort(null);
    assertEquals(sorted, offsets, "steps in time order");
    assertTrue(
        kindIndex("accepted") < kindIndex("decided")
            && kindIndex("decided") < kindIndex("watermark"),
        "accepted, then decided, then applied: " + kinds());

    // The page read it back with the command's token, through the API, and the read model had it.
    WebElement readBack = page.findElement(By.id("read-back"));
    browser.waitUpTo(SETTLE).until(d -> readBack.isDisplayed());
    assertTrue(readBack.getText().contains("X-Consistency-Token → 200"), readBack.getText());
    assertTrue(readBack.getText().contains("CONFIRMED"), readBack.getText());
    assertTrue(
        page.findElement(By.id("api-status")).getText().contains("SUCCEEDED"),
        page.findElement(By.id("api-status")).getText());
    browser.screenshot("console-journey");
  }

  @Test
  @Order(2)
  void a_rejected_command_shows_its_reason_and_a_refused_one_where_it_was_refused()
      throws Exception {
    choose("Book nights that are not on sale");
    page.findElement(By.id("send")).click();

    Step rejected = browser.waitUpTo(SETTLE).until(d -> step("rejected"));
    assertTrue(rejected.text().contains("REJECTED NOT_ON_SALE"), rejected.text());
    assertTrue(rejected.problem(), "shown as a problem");
    browser
        .waitUpTo(SETTLE)
        .until(d -> d.findElement(By.id("api-status")).getText().contains("REJECTED NOT_ON_SALE"));
    assertFalse(kinds().contains("recorded"), "a rejection records no event: " + kinds());
    String listed = textOf(By.cssSelector("#recent li[data-id='" + selectedCommand() + "']"));
    assertTrue(listed.contains("REJECTED"), listed);
    browser.screenshot("console-rejected");

    // Refused at intake: a 400 naming the field, and the journey of that request says nothing was
    // enqueued.
    choose("Book with check-out before check-in");
    page.findElement(By.id("send")).click();
    Step refused = browser.waitUpTo(SETTLE).until(d -> step("refused"));
    assertTrue(refused.text().contains("400"), refused.text());
    assertTrue(refused.text().contains("nothing was enqueued"), refused.text());
    String result = page.findElement(By.id("send-result")).getText();
    assertTrue(result.contains("→ 400") && result.contains("checkOut"), result);
  }

  @Test
  @Order(3)
  void the_lag_chart_draws_the_lag_the_runtime_measured() throws Exception {
    // A few more bookings through the API, each read back with its token (so every projection
    // applied it), so every projection has lag to draw.
    String guest = runtime.mintToken("console-it-guest", List.of());
    String hotelId = overview().path("context").path("hotelId").asText();
    LocalDate night = LocalDate.now(ZoneOffset.UTC).plusDays(20);
    for (int i = 0; i < 3; i++) {
      var booked =
          api.postJson(
              "/reservations",
              guest,
              "{\"hotelId\":\""
                  + hotelId
                  + "\",\"roomType\":\"DBL\",\"checkIn\":\""
                  + night.plusDays(i)
                  + "\",\"checkOut\":\""
                  + night.plusDays(i + 1)
                  + "\",\"guests\":1}");
      assertEquals(202, booked.status(), booked.body());
      var settled = api.awaitSettled((String) booked.json().get("commandId"), guest, SETTLE);
      var read =
          api.get(
              "/reservations/" + booked.json().get("reservationId"),
              guest,
              Map.of("X-Consistency-Token", (String) settled.json().get("consistencyToken")));
      assertEquals(200, read.status(), read.body());
    }
    // Everything observed so far is in the journal; the seconds up to now are final.
    assertTrue(runtime.console().settle(SETTLE), "the console's recorder caught up");
    long settledSecond = java.time.Instant.now().getEpochSecond();

    page.findElement(By.cssSelector(".tab[data-view='system']")).click();
    List<String> projections = new ArrayList<>();
    overview().path("projections").forEach(p -> projections.add("projection:" + p.asText()));
    // A picture drawn after that, with each projection the bookings reached: its line, its points.
    browser
        .waitUpTo(SETTLE)
        .until(
            d ->
                Long.parseLong(
                            String.valueOf(
                                d.findElement(By.id("lag-chart")).getAttribute("data-to")))
                        > settledSecond
                    && !d.findElements(
                            By.cssSelector(
                                "#lag-chart circle[data-series='projection:reservations']"))
                        .isEmpty());

    // What the chart shows, read in one go (the page redraws it every second).
    JsonNode chart =
        JSON.valueToTree(
            page.executeScript(
                """
                const svg = document.getElementById('lag-chart');
                const out = Object.assign({}, svg.dataset);
                out.paths = [...svg.querySelectorAll('path[data-series]')].map((p) =>
                  ({ series: p.dataset.series, values: p.dataset.values }));
                out.points = [...svg.querySelectorAll('circle[data-series]')].map((c) =>
                  ({ series: c.dataset.series, second: c.dataset.second, value: c.dataset.value,
                     cy: c.getAttribute('cy') }));
                return out;
                """));
    JsonNode server = JSON.readTree(api.get(Console.PATH + "/api/glance", null).body());
    double max = chart.path("max").asDouble();
    double top = chart.path("top").asDouble();
    double height = chart.path("height").asDouble();
    long from = chart.path("from").asLong();
    assertTrue(chart.path("paths").size() >= 3, chart.toString());
    int compared = 0;
    for (JsonNode path : chart.path("paths")) {
      String series = path.path("series").asText();
      assertTrue(
          projections.contains(series)
              || series.startsWith("subscriber:")
              || series.startsWith("stream:"),
          series + " is one of the topology's projections or a reader of the stream");
      JsonNode drawn = JSON.readTree(path.path("values").asText());
      List<JsonNode> points = new ArrayList<>();
      chart
          .path("points")
          .forEach(
              p -> {
                if (p.path("series").asText().equals(series)) {
                  points.add(p);
                }
              });
      long nonNull = 0;
      for (JsonNode v : drawn) {
        nonNull += v.isNull() ? 0 : 1;
      }
      assertTrue(nonNull > 0, series + " has points");
      assertEquals(nonNull, points.size(), series + ": one point per second with a lag");
      for (JsonNode point : points) {
        long second = point.path("second").asLong();
        double value = point.path("value").asDouble();
        assertEquals(drawn.get((int) (second - from)).asDouble(), value, series + " at " + second);
        double cy = point.path("cy").asDouble();
        assertEquals(top + height * (1 - value / max), cy, 0.11, series + ": drawn at its height");
        assertTrue(value <= max, "the axis holds every point");
      }
      // What was drawn is what the runtime measured: the same lag, second by second, for every
      // second that was over before the picture was drawn.
      JsonNode measured = server.path("lag").path("series").path(series);
      long serverTo = server.path("lag").path("to").asLong();
      for (long second = from; second <= settledSecond; second++) {
        int atServer = (int) (measured.size() - 1 - (serverTo - second));
        if (atServer < 0) {
          continue;
        }
        assertEquals(
            measured.get(atServer).toString(),
            drawn.get((int) (second - from)).toString(),
            series + " at second " + second);
        compared++;
      }
    }
    assertTrue(compared > 0, "some seconds were compared with the runtime's figures");
    browser.screenshot("console-system");
  }

  @Test
  @Order(4)
  void the_history_shows_the_rows_each_event_changed_and_verify_shows_no_drift() throws Exception {
    page.findElement(By.cssSelector(".tab[data-view='journey']")).click();
    // The first booking of this class: its stream's history.
    String booking = firstBooking();
    click(By.cssSelector("#recent li[data-id='" + booking + "']"));
    // The journey is redrawn as its steps arrive: find the link afresh for each look.
    String stream =
        browser
            .waitUpTo(SETTLE)
            .until(
                d ->
                    d.findElement(By.cssSelector("#journey-summary a[data-stream]"))
                        .getAttribute("data-stream"));
    browser
        .waitUpTo(SETTLE)
        .until(
            d -> {
              d.findElement(By.cssSelector("#journey-summary a[data-stream]")).click();
              return true;
            });

    WebElement first =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#history .history-event[data-version='1']")));
    assertTrue(first.getText().contains("v1"), first.getText());
    List<WebElement> rows = first.findElements(By.cssSelector("tbody tr[data-projection]"));
    assertFalse(rows.isEmpty(), "the event changed read-model rows: " + first.getText());
    JsonNode history =
        JSON.readTree(api.get(Console.PATH + "/api/history?stream=" + encode(stream), null).body());
    JsonNode changed = history.path("events").get(0).path("rows");
    assertEquals(changed.size(), rows.size(), "one line per row the event changed");
    Set<String> owners = new TreeSet<>();
    changed.forEach(r -> owners.add(r.path("projection").asText()));
    for (String owner : owners) {
      assertTrue(
          rows.stream().anyMatch(r -> owner.equals(r.getAttribute("data-projection"))), owner);
    }

    new Select(page.findElement(By.id("verify-projection")))
        .selectByValue(overview().path("projections").get(0).asText());
    page.findElement(By.id("verify")).click();
    WebElement output =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#verify-output[data-drift]")));
    assertEquals("0", output.getAttribute("data-drift"), output.getText());
    assertTrue(output.getText().contains("drift: none"), output.getText());
    browser.screenshot("console-history");
  }

  @Test
  @Order(5)
  void a_parked_record_appears_and_disappears_after_redrive() throws Exception {
    var registered =
        api.post(
            "/hotels",
            admin,
            "application/json",
            "{\"name\":\"Parked Inn\",\"city\":\"Faro\",\"roomTypes\":[{\"code\":\"DBL\","
                + "\"name\":\"Double room\",\"maxGuests\":2}]}",
            Map.of("Prefer", "wait=10"));
    assertEquals(200, registered.status(), registered.body());
    String hotelId = (String) registered.json().get("hotelId");
    String stream = "hotel#" + hotelId;
    api.await("/hotels/" + hotelId, null, a -> a.status() == 200, SETTLE);
    // A bad manual edit of the read model: the stream's watermark (a number) as a string. The
    // projector fails on every later event of this hotel, and its mapping parks the record.
    setWatermark(stream, AttributeValue.fromS("1"));

    page.findElement(By.cssSelector(".tab[data-view='journey']")).click();
    choose("Put five double rooms on sale for a month");
    WebElement hotel = page.findElement(By.cssSelector("#form [data-path='hotelId']"));
    hotel.clear();
    hotel.sendKeys(hotelId);
    page.findElement(By.id("send")).click();
    browser.waitUpTo(SETTLE).until(d -> step("parked"));
    assertTrue(kinds().contains("retry"), "the stream retried it before parking it: " + kinds());

    page.findElement(By.cssSelector(".tab[data-view='system']")).click();
    String parked =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#parked li[data-kind='parked']")).getText());
    assertTrue(parked.contains(stream), parked);
    browser.waitUpTo(SETTLE).until(d -> "1".equals(queueCell(d, "projector-parked", "visible")));
    browser.screenshot("console-parked");

    // The cause is fixed, and the operator redrives from the page.
    setWatermark(stream, AttributeValue.fromN("1"));
    page.findElement(By.id("redrive-projections")).click();
    WebElement output =
        browser
            .waitUpTo(SETTLE)
            .until(
                d -> {
                  WebElement o = d.findElement(By.id("redrive-output"));
                  return o.getAttribute("data-exit-code") != null ? o : null;
                });
    assertEquals("0", output.getAttribute("data-exit-code"), output.getText());
    assertTrue(output.getText().contains("1 parked record(s) deleted, 0 left"), output.getText());
    browser
        .waitUpTo(SETTLE)
        .until(
            d ->
                d.findElements(By.cssSelector("#parked li[data-kind='parked']")).isEmpty()
                    && "0".equals(queueCell(d, "projector-parked", "visible")));
    assertTrue(textOf(By.id("parked")).contains("nothing parked"));
    // Redriven means projected: the rooms are on sale in the read model now.
    var occupancy =
        api.await(
            "/hotels/"
                + hotelId
                + "/occupancy?from="
                + LocalDate.now(ZoneOffset.UTC).plusDays(14)
                + "&to="
                + LocalDate.now(ZoneOffset.UTC).plusDays(15),
            admin,
            a -> a.status() == 200 && a.body().contains("\"rooms\":5"),
            SETTLE);
    assertTrue(occupancy.body().contains("\"rooms\":5"), occupancy.body());
  }

  @Test
  @Order(6)
  void when_the_runtime_stops_the_page_says_so() throws Exception {
    page.findElement(By.cssSelector(".tab[data-view='journey']")).click();
    runtime.close();
    WebElement banner =
        browser
            .waitUpTo(SETTLE)
            .until(
                d -> {
                  WebElement b = d.findElement(By.id("stopped"));
                  return b.isDisplayed() ? b : null;
                });
    assertTrue(banner.getText().contains("The local runtime has stopped"), banner.getText());
    assertEquals("stopped", page.findElement(By.id("connection")).getAttribute("data-state"));
    browser.screenshot("console-stopped");
  }

  // ---------------------------------------------------------------------------------------------

  /** Clicks what {@code by} finds, finding it again if the page redrew it meanwhile. */
  private static void click(By by) {
    browser
        .waitUpTo(SETTLE)
        .until(
            d -> {
              d.findElement(by).click();
              return true;
            });
  }

  private static void choose(String example) {
    new Select(page.findElement(By.id("example"))).selectByVisibleText(example);
  }

  /** A step of the journey as the page shows it. */
  private record Step(String kind, boolean problem, String offset, String text) {}

  /**
   * The journey's steps as the page shows them, read in one go: the page redraws the list as steps
   * arrive, so elements found one call earlier may be gone.
   */
  private static List<Step> steps() {
    List<?> raw =
        (List<?>)
            page.executeScript(
                """
                return [...document.querySelectorAll('#steps li[data-kind]')].map((li) => [
                  li.dataset.kind, li.dataset.problem,
                  (li.querySelector('.offset') || {}).textContent || '', li.innerText]);
                """);
    List<Step> steps = new ArrayList<>();
    for (Object o : raw) {
      List<?> r = (List<?>) o;
      steps.add(
          new Step(
              (String) r.get(0), "true".equals(r.get(1)), (String) r.get(2), (String) r.get(3)));
    }
    return steps;
  }

  /** The first step of a kind, or {@code null} while there is none. */
  private static Step step(String kind) {
    return steps().stream().filter(st -> st.kind().equals(kind)).findFirst().orElse(null);
  }

  private static List<String> kinds() {
    return steps().stream().map(Step::kind).toList();
  }

  /** The text of what {@code by} finds, finding it again if the page redrew it meanwhile. */
  private static String textOf(By by) {
    return browser.waitUpTo(SETTLE).until(d -> d.findElement(by).getText());
  }

  private static int kindIndex(String kind) {
    return kinds().indexOf(kind);
  }

  private static String selectedCommand() {
    String title = page.findElement(By.id("journey-title")).getText();
    return title.substring(title.lastIndexOf(' ') + 1);
  }

  private static String queueCell(org.openqa.selenium.WebDriver d, String queue, String field) {
    List<WebElement> cells =
        d.findElements(
            By.cssSelector(
                "#queues tr[data-queue='" + queue + "'] td[data-field='" + field + "']"));
    return cells.isEmpty() ? null : cells.get(0).getText();
  }

  private static JsonNode overview() throws Exception {
    return JSON.readTree(api.get(Console.PATH + "/api/overview", null).body());
  }

  private static JsonNode journey(String id) throws Exception {
    return JSON.readTree(api.get(Console.PATH + "/api/commands/" + id, null).body());
  }

  /** The first booking this class sent (from the page), oldest of the BookRoom commands. */
  private static String firstBooking() throws Exception {
    JsonNode items =
        JSON.readTree(api.get(Console.PATH + "/api/commands", null).body()).path("items");
    String first = null;
    for (JsonNode j : items) {
      if ("BookRoom".equals(j.path("type").asText())
          && "SUCCEEDED".equals(j.path("status").asText())) {
        first = j.path("id").asText();
      }
    }
    assertTrue(first != null, items.toString());
    return first;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void setWatermark(String stream, AttributeValue version) {
    try (Backstage backstage = new Backstage(runtime)) {
      backstage.setWatermark(stream, version);
    }
  }
}
