package io.innkeeper.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.hotel.HotelDomain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the domain is found, and the errors that say what was found when it is not. */
class DomainsTest {
  private static final Domain HOTEL = new HotelDomain();
  private static final Domain OTHER =
      (Domain)
          java.lang.reflect.Proxy.newProxyInstance(
              Domain.class.getClassLoader(),
              new Class<?>[] {Domain.class},
              (proxy, method, args) -> method.getName().equals("name") ? "other" : null);

  @Test
  void the_only_domain_on_the_classpath_is_found_by_its_service_file() {
    assertEquals(
        List.of(HotelDomain.NAME), Domains.available().stream().map(Domain::name).toList());
    assertInstanceOf(HotelDomain.class, Domains.named(HotelDomain.NAME));
  }

  @Test
  void one_domain_is_the_domain_and_a_setting_must_name_it() {
    assertEquals("hotel", Domains.select(List.of(HOTEL), Optional.empty()).name());
    assertEquals("hotel", Domains.select(List.of(HOTEL), Optional.of(" hotel ")).name());
    var wrong =
        assertThrows(
            IllegalStateException.class, () -> Domains.select(List.of(HOTEL), Optional.of("spa")));
    assertTrue(wrong.getMessage().contains("INNKEEPER_DOMAIN=spa"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains("[hotel]"), wrong.getMessage());
  }

  @Test
  void of_several_domains_the_setting_picks_one_and_without_it_the_error_names_them() {
    assertEquals("other", Domains.select(List.of(HOTEL, OTHER), Optional.of("other")).name());
    var ambiguous =
        assertThrows(
            IllegalStateException.class,
            () -> Domains.select(List.of(HOTEL, OTHER), Optional.empty()));
    assertTrue(ambiguous.getMessage().contains("[hotel, other]"), ambiguous.getMessage());
    assertTrue(ambiguous.getMessage().contains("INNKEEPER_DOMAIN"), ambiguous.getMessage());
  }

  @Test
  void no_domain_at_all_says_how_a_domain_is_found() {
    var none =
        assertThrows(
            IllegalStateException.class, () -> Domains.select(List.of(), Optional.empty()));
    assertTrue(
        none.getMessage().contains("META-INF/services/io.innkeeper.core.domain.Domain"),
        none.getMessage());
  }

  @Test
  void tables_are_looked_up_by_id_and_an_unknown_id_is_a_wiring_error_naming_the_known_ones() {
    Tables tables = Tables.of(Map.of("hotels", "stack-Hotels-1"));
    assertEquals("stack-Hotels-1", tables.name("hotels"));
    var unknown = assertThrows(IllegalArgumentException.class, () -> tables.name("reservations"));
    assertTrue(unknown.getMessage().contains("[hotels]"), unknown.getMessage());
    assertEquals("ROOM_SCHEDULES_TABLE", Tables.environmentVariable("room-schedules"));
    assertEquals("RESERVATIONS_TABLE", Tables.environmentVariable("reservations"));
  }

  @Test
  void a_route_is_a_method_and_a_path_template_or_it_is_refused() {
    assertEquals("GET /hotels/{hotelId}", Route.open("GET", "/hotels/{hotelId}").routeKey());
    assertThrows(IllegalArgumentException.class, () -> Route.open("get", "/hotels"));
    assertThrows(IllegalArgumentException.class, () -> Route.open("GET", "hotels"));
    assertThrows(IllegalArgumentException.class, () -> Route.open("GET", "/hotels/{}"));
    assertThrows(IllegalArgumentException.class, () -> Route.open("GET", "/hotels/"));
  }
}
