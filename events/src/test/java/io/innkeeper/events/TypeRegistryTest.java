package io.innkeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {

  /**
   * Version 2 renamed {@code title} to {@code name}; version 1 payloads stay stored as they are.
   */
  record Renamed(String name, String note) {}

  private static final TypeRegistry<Object> REGISTRY =
      TypeRegistry.builder("test")
          .add(
              "Renamed",
              2,
              Renamed.class,
              f -> new Renamed(f.string("name"), f.optionalString("note")),
              r -> Json.obj("name", r.name(), "note", r.note()))
          .upcast(
              "Renamed",
              1,
              old -> {
                old.put("name", old.remove("title"));
                return old;
              })
          .build();

  @Test
  void given_a_v1_payload_when_decoded_then_it_is_upcast_to_the_current_version() {
    assertEquals(
        new Renamed("Seeblick", null), REGISTRY.decode("Renamed", 1, "{\"title\":\"Seeblick\"}"));
  }

  @Test
  void given_a_current_payload_without_an_optional_field_then_it_reads_as_null() {
    assertNull(((Renamed) REGISTRY.decode("Renamed", 2, "{\"name\":\"x\"}")).note());
  }

  @Test
  void encoding_uses_the_stable_name_and_current_version_never_the_class_name() {
    TypeRegistry.Encoded e = REGISTRY.encode(new Renamed("x", "y"));
    assertEquals(new TypeRegistry.Encoded("Renamed", 2, "{\"name\":\"x\",\"note\":\"y\"}"), e);
  }

  @Test
  void unknown_types_future_versions_and_bad_payloads_are_contract_breaches() {
    assertThrows(ContractException.class, () -> REGISTRY.decode("Nope", 1, "{}"));
    assertThrows(ContractException.class, () -> REGISTRY.decode("Renamed", 3, "{\"name\":\"x\"}"));
    var e =
        assertThrows(ContractException.class, () -> REGISTRY.decode("Renamed", 2, "{\"name\":5}"));
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
  }

  @Test
  void a_version_without_its_upcaster_does_not_build() {
    var b =
        TypeRegistry.builder("test")
            .add("Bumped", 2, Renamed.class, f -> new Renamed("", null), r -> Map.of());
    assertThrows(IllegalStateException.class, b::build);
  }

  @Test
  void a_name_registered_twice_is_refused() {
    var b = TypeRegistry.builder("test").add("A", 1, Renamed.class, f -> null, r -> Map.of());
    assertThrows(
        IllegalStateException.class, () -> b.add("A", 1, String.class, f -> "", r -> Map.of()));
  }
}
