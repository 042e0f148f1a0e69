package io.innkeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the demo hotels through the real HTTP API, as an admin would: {@code POST /hotels} for each
 * hotel in {@code seed/hotels.json}, then {@code GET /commands/{id}} until each command has
 * succeeded. With a data directory it leaves a marker there, so a restart does not add them again
 * (and each request carries an {@code Idempotency-Key} in case the marker is lost).
 */
public final class Seeder {

  /** A hotel the seeder added. */
  public record SeededHotel(String hotelId, String name, String city) {}

  /** Seeding could not complete. */
  public static final class SeedException extends Exception {
    private static final long serialVersionUID = 1L;

    SeedException(String message) {
      super(message);
    }
  }

  private static final Log LOG = Log.of("seed");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(30);
  private static final String MARKER = "seeded.json";

  private final URI api;
  private final String adminToken;
  private final Path dataDir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param dataDir where the "already seeded" marker lives, or {@code null} for none
   */
  public Seeder(URI api, String adminToken, Path dataDir) {
    this.api = api;
    this.adminToken = adminToken;
    this.dataDir = dataDir;
  }

  /**
   * Seeds the demo hotels.
   *
   * @return the demo hotels (those of an earlier run when the data directory was seeded already);
   *     empty when the API does not serve commands yet (a warning says so)
   * @throws SeedException when the API refuses a hotel or a command does not succeed in time
   */
  public List<SeededHotel> seed() throws SeedException, IOException, InterruptedException {
    Path marker = dataDir == null ? null : dataDir.resolve(MARKER);
    if (marker != null && Files.exists(marker)) {
      return List.of(JSON.readValue(marker.toFile(), SeededHotel[].class));
    }
    JsonNode hotels;
    try (InputStream in = Seeder.class.getResourceAsStream("/seed/hotels.json")) {
      if (in == null) {
        throw new IllegalStateException("seed/hotels.json is missing from the classpath");
      }
      hotels = JSON.readTree(in).get("hotels");
    }
    List<SeededHotel> added = new ArrayList<>();
    List<String> commandIds = new ArrayList<>();
    int n = 0;
    for (JsonNode hotel : hotels) {
      n++;
      HttpResponse<String> response =
          send(
              request("/hotels")
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", "seed-hotel-" + n)
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(hotel)))
                  .build());
      if (response.statusCode() == 404) {
        LOG.warn("POST /hotels is not served (404); no demo data");
        return List.of();
      }
      if (response.statusCode() != 202 && response.statusCode() != 200) {
        throw new SeedException(
            "POST /hotels answered " + response.statusCode() + ": " + response.body());
      }
      JsonNode answer = JSON.readTree(response.body());
      commandIds.add(text(answer, "commandId", response));
      added.add(
          new SeededHotel(
              text(answer, "hotelId", response),
              hotel.get("name").asText(),
              hotel.get("city").asText()));
    }
    for (String commandId : commandIds) {
      if (!awaitSuccess(commandId)) {
        return List.of();
      }
    }
    if (marker != null) {
      Files.writeString(
          marker,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(added),
          StandardCharsets.UTF_8);
    }
    return added;
  }

  /** False when the command status route is not served (a warning says so). */
  private boolean awaitSuccess(String commandId)
      throws SeedException, IOException, InterruptedException {
    long deadline = System.nanoTime() + COMMAND_DEADLINE.toNanos();
    while (true) {
      HttpResponse<String> response = send(request("/commands/" + commandId).GET().build());
      if (response.statusCode() == 404) {
        LOG.warn("GET /commands/{id} is not served (404); cannot confirm the demo data");
        return false;
      }
      if (response.statusCode() != 200) {
        throw new SeedException(
            "GET /commands/"
                + commandId
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      JsonNode status = JSON.readTree(response.body());
      String state = text(status, "status", response);
      switch (state) {
        case "SUCCEEDED":
          return true;
        case "PENDING":
          break;
        default:
          throw new SeedException("seed command " + commandId + " ended " + state + ": " + status);
      }
      if (System.nanoTime() > deadline) {
        throw new SeedException(
            "seed command "
                + commandId
                + " still PENDING after "
                + COMMAND_DEADLINE.toSeconds()
                + " s");
      }
      Thread.sleep(100);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(api.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + adminToken);
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String text(JsonNode json, String field, HttpResponse<String> response)
      throws SeedException {
    JsonNode value = json == null ? null : json.get(field);
    if (value == null || !value.isTextual()) {
      throw new SeedException(
          response.request().method()
              + " "
              + response.request().uri().getPath()
              + " answered without \""
              + field
              + "\": "
              + response.body());
    }
    return value.textValue();
  }
}
