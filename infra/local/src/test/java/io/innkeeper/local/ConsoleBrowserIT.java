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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
    if (!overview().path("subscriptions").isEmpty()) {
      // Once the domain publishes on the event bus, its deliveries are steps of the journey too.
      expected.addAll(List.of("published", "subscriber"));
    }
    browser.waitUpTo(EVERY_STEP).until(d -> kinds().containsAll(expected));
    long millis = (System.nanoTime() - clicked) / 1_000_000;
    assertTrue(millis <= EVERY_STEP.toMillis(), "every step shown after " + millis + " ms");
    System.out.println(
        "[innkeeper] console: every step of a booking shown " + millis + " ms after the click");

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
    List<WebElement> shown = page.findElements(By.cssSelector("#steps li[data-kind='projected']"));
    assertEquals(projections.size(), shown.size());
    for (String projection : projections) {
      assertTrue(
          shown.stream().anyMatch(li -> li.getText().contains("projection " + projection)),
          projection);
    }
    List<Long> offsets = new ArrayList<>();
    for (WebElement li : page.findElements(By.cssSelector("#steps li .offset"))) {
      offsets.add(Long.parseLong(li.getText().replaceAll("[^0-9]", "")));
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

    WebElement rejected =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#steps li[data-kind='rejected']")));
    assertTrue(rejected.getText().contains("REJECTED NOT_ON_SALE"), rejected.getText());
    assertEquals("true", rejected.getAttribute("data-problem"));
    browser
        .waitUpTo(SETTLE)
        .until(d -> d.findElement(By.id("api-status")).getText().contains("REJECTED NOT_ON_SALE"));
    assertFalse(kinds().contains("recorded"), "a rejection records no event: " + kinds());
    WebElement listed =
        page.findElement(By.cssSelector("#recent li[data-id='" + selectedCommand() + "']"));
    assertTrue(listed.getText().contains("REJECTED"), listed.getText());
    browser.screenshot("console-rejected");

    // Refused at intake: a 400 naming the field, and the journey of that request says nothing was
    // enqueued.
    choose("Book with check-out before check-in");
    page.findElement(By.id("send")).click();
    WebElement refused =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#steps li[data-kind='refused']")));
    assertTrue(refused.getText().contains("400"), refused.getText());
    assertTrue(refused.getText().contains("nothing was enqueued"), refused.getText());
    String result = page.findElement(By.id("send-result")).getText();
    assertTrue(result.contains("→ 400") && result.contains("checkOut"), result);
  }

  @Test
  @Order(3)
  void the_lag_chart_draws_the_lag_the_runtime_measured() throws Exception {
    // A few more bookings through the API, so every projection has lag to draw.
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
    }
    page.findElement(By.cssSelector(".tab[data-view='system']")).click();
    List<String> projections = new ArrayList<>();
    overview().path("projections").forEach(p -> projections.add("projection:" + p.asText()));
    // Each projection the bookings reached has its line and its points.
    browser
        .waitUpTo(SETTLE)
        .until(
            d ->
                d.findElements(By.cssSelector("#lag-chart path[data-series]")).size() >= 3
                    && !d.findElements(
                            By.cssSelector(
                                "#lag-chart circle[data-series='projection:reservations']"))
                        .isEmpty());

    WebElement svg = page.findElement(By.id("lag-chart"));
    double max = Double.parseDouble(svg.getAttribute("data-max"));
    double top = Double.parseDouble(svg.getAttribute("data-top"));
    double height = Double.parseDouble(svg.getAttribute("data-height"));
    long from = Long.parseLong(svg.getAttribute("data-from"));
    long to = Long.parseLong(svg.getAttribute("data-to"));
    JsonNode server = JSON.readTree(api.get(Console.PATH + "/api/glance", null).body());
    int compared = 0;
    for (WebElement path : page.findElements(By.cssSelector("#lag-chart path[data-series]"))) {
      String series = path.getAttribute("data-series");
      assertTrue(
          projections.contains(series)
              || series.startsWith("subscriber:")
              || series.startsWith("stream:"),
          series + " is one of the topology's projections or a reader of the stream");
      JsonNode drawn = JSON.readTree(path.getAttribute("data-values"));
      List<WebElement> points =
          page.findElements(By.cssSelector("#lag-chart circle[data-series='" + series + "']"));
      long nonNull = 0;
      for (JsonNode v : drawn) {
        nonNull += v.isNull() ? 0 : 1;
      }
      assertEquals(nonNull, points.size(), series + ": one point per second with a lag");
      for (WebElement point : points) {
        long second = Long.parseLong(point.getAttribute("data-second"));
        double value = Double.parseDouble(point.getAttribute("data-value"));
        assertEquals(drawn.get((int) (second - from)).asDouble(), value, series + " at " + second);
        double cy = Double.parseDouble(point.getAttribute("cy"));
        assertEquals(top + height * (1 - value / max), cy, 0.11, series + ": drawn at its height");
        assertTrue(value <= max, "the axis holds every point");
      }
      // What was drawn is what the runtime measured: the same lag, second by second, for every
      // second that was over when the page drew it.
      JsonNode measured = server.path("lag").path("series").path(series);
      long serverTo = server.path("lag").path("to").asLong();
      for (long second = from; second <= to - 2; second++) {
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
    page.findElement(By.cssSelector("#recent li[data-id]")).click();
    // The first booking of this class: its stream's history.
    String booking = firstBooking();
    page.findElement(By.cssSelector("#recent li[data-id='" + booking + "']")).click();
    WebElement link =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#journey-summary a[data-stream]")));
    String stream = link.getAttribute("data-stream");
    link.click();

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
    browser
        .waitUpTo(SETTLE)
        .until(d -> d.findElement(By.cssSelector("#steps li[data-kind='parked']")));
    assertTrue(kinds().contains("retry"), "the stream retried it before parking it: " + kinds());

    page.findElement(By.cssSelector(".tab[data-view='system']")).click();
    WebElement parked =
        browser
            .waitUpTo(SETTLE)
            .until(d -> d.findElement(By.cssSelector("#parked li[data-kind='parked']")));
    assertTrue(parked.getText().contains(stream), parked.getText());
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
    assertTrue(page.findElement(By.id("parked")).getText().contains("nothing parked"));
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

  private static void choose(String example) {
    new Select(page.findElement(By.id("example"))).selectByVisibleText(example);
  }

  private static List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    for (WebElement li : page.findElements(By.cssSelector("#steps li[data-kind]"))) {
      kinds.add(li.getAttribute("data-kind"));
    }
    return kinds;
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
    try (DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint())) {
      ddb.updateItem(
          b ->
              b.tableName(runtime.tableName("watermarks"))
                  .key(
                      Map.of(
                          "pk", AttributeValue.fromS(stream),
                          "sk", AttributeValue.fromS("projected")))
                  .updateExpression("SET v = :v")
                  .conditionExpression("attribute_exists(pk)")
                  .expressionAttributeValues(Map.of(":v", version)));
    }
  }
}
