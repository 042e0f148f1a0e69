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

  /** A family under a sealed root, two levels deep. */
  sealed interface Root permits Left, Right {}

  sealed interface Left extends Root permits Left.A, Left.B {
    record A() implements Left {}

    record B() implements Left {}
  }

  record Right() implements Root {}

  @Test
  void the_concrete_types_under_a_sealed_root_are_found_through_every_level() {
    assertEquals(
        java.util.List.of(Left.A.class, Left.B.class, Right.class),
        TypeRegistry.concreteTypes(Root.class));
  }

  @Test
  void a_registry_over_a_sealed_root_does_not_build_while_a_type_under_it_is_unregistered() {
    var b =
        TypeRegistry.<Root>builder("test", Root.class)
            .add("A", 1, Left.A.class, f -> new Left.A(), a -> Map.of())
            .add("Right", 1, Right.class, f -> new Right(), r -> Map.of());

    var e = assertThrows(IllegalStateException.class, b::build);
    assertTrue(e.getMessage().contains("Left$B"), e.getMessage());

    b.add("B", 1, Left.B.class, f -> new Left.B(), x -> Map.of());
    assertEquals(
        java.util.List.of(Left.A.class, Right.class, Left.B.class), b.build().registeredClasses());
  }

  @Test
  void a_root_that_is_not_sealed_cannot_promise_coverage() {
    assertThrows(IllegalArgumentException.class, () -> TypeRegistry.builder("test", Object.class));
  }

  @Test
  void a_name_registered_twice_is_refused() {
    var b = TypeRegistry.builder("test").add("A", 1, Renamed.class, f -> null, r -> Map.of());
    assertThrows(
        IllegalStateException.class, () -> b.add("A", 1, String.class, f -> "", r -> Map.of()));
  }
}
