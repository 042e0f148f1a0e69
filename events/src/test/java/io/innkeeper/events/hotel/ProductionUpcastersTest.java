package io.innkeeper.events.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.innkeeper.events.ContractException;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upcasters of the production registry, run on payloads as they were stored: old versions stay
 * readable for as long as the events table keeps them, which is forever.
 */
class ProductionUpcastersTest {

  @Test
  void given_a_stored_v1_hotel_registered_when_read_then_it_gains_the_city_key_v2_writes()
      throws IOException {
    String v1 = resource("/samples/HotelRegistered.v1.json");

    DomainEvent read = HotelDomainEvent.TYPES.decode("HotelRegistered", 1, v1);

    assertEquals(
        new HotelRegistered(
            "01JD0000000000000000000001",
            "Hotel Seeblick",
            "Zurich",
            "zurich",
            List.of(new RoomType("DBL", "Double room", 2), new RoomType("FAM", "Family room", 4)),
            Instant.parse("2026-11-23T10:15:30Z")),
        read);
    assertEquals(2, HotelDomainEvent.TYPES.currentVersions().get("HotelRegistered"));
  }

  @Test
  void given_a_v1_city_with_odd_spacing_and_decomposed_umlaut_then_its_key_matches_the_plain_one() {
    String v1 =
        "{\"hotelId\":\"h1\",\"name\":\"Seeblick\",\"city\":\"  Zu\u0308rich \\t Nord \","
            + "\"roomTypes\":[{\"code\":\"DBL\",\"name\":\"Double\",\"maxGuests\":2}],"
            + "\"registeredAt\":\"2026-11-23T10:15:30Z\"}";

    HotelRegistered read =
        (HotelRegistered) HotelDomainEvent.TYPES.decode("HotelRegistered", 1, v1);

    assertEquals("z\u00fcrich nord", read.cityKey());
    assertEquals(Cities.key("Z\u00fcrich Nord"), read.cityKey());
    assertEquals("  Zu\u0308rich \t Nord ", read.city(), "the city as registered is kept");
  }

  @Test
  void given_a_v1_payload_without_a_city_then_reading_it_is_a_contract_breach() {
    String v1 =
        "{\"hotelId\":\"h1\",\"name\":\"Seeblick\",\"roomTypes\":[],"
            + "\"registeredAt\":\"2026-11-23T10:15:30Z\"}";

    assertThrows(
        ContractException.class, () -> HotelDomainEvent.TYPES.decode("HotelRegistered", 1, v1));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ProductionUpcastersTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
