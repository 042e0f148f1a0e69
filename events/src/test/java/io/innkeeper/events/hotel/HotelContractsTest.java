package io.innkeeper.events.hotel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.innkeeper.events.TypeRegistry;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/**
 * The hotel domain's registries cover every command and event record under the sealed roots: a new
 * record without its registration fails here (and, through the registries' class initialization,
 * every test that touches them) with the record's name.
 */
class HotelContractsTest {

  @Test
  void every_event_record_under_the_sealed_root_has_a_stable_name() {
    assertEquals(
        new HashSet<>(TypeRegistry.concreteTypes(HotelDomainEvent.class)),
        new HashSet<>(HotelDomainEvent.TYPES.registeredClasses()));
  }

  @Test
  void every_command_record_under_the_sealed_root_has_a_stable_name() {
    assertEquals(
        new HashSet<>(TypeRegistry.concreteTypes(HotelDomainCommand.class)),
        new HashSet<>(HotelDomainCommand.TYPES.registeredClasses()));
  }
}
