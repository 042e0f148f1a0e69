package io.innkeeper.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

  private static Set<String> failingFields(BodyReader r) {
    Problem p = assertThrows(Problem.class, r::throwIfInvalid);
    assertEquals(400, p.status());
    return p.errors().stream().map(FieldError::field).collect(Collectors.toSet());
  }

  @Test
  void a_list_longer_than_its_maximum_is_refused_without_reading_its_items() {
    Map<String, Object> item = Map.of("code", "A");
    BodyReader fits = new BodyReader();
    assertEquals(
        50,
        fits.objects(Map.of("roomTypes", Collections.nCopies(50, item)), "", "roomTypes", 1, 50)
            .size());
    fits.throwIfInvalid();

    BodyReader tooMany = new BodyReader();
    List<Object> fiftyOne = Collections.nCopies(51, "not even an object");
    assertNull(tooMany.objects(Map.of("roomTypes", fiftyOne), "", "roomTypes", 1, 50));
    // One error for the list, none per item: the items were never looked at.
    assertEquals(Set.of("roomTypes"), failingFields(tooMany));
  }

  @Test
  void unknown_fields_are_each_named() {
    BodyReader r = new BodyReader();
    r.onlyFields(Map.of("name", "x", "admin", true, "__proto__", 1), "", Set.of("name"));
    assertEquals(Set.of("admin", "__proto__"), failingFields(r));
  }

  @Test
  void integers_refuse_floats_strings_and_out_of_range_values() {
    BodyReader r = new BodyReader();
    Map<String, Object> in =
        Map.of(
            "float",
            new java.math.BigDecimal("2.0"),
            "text",
            "2",
            "huge",
            new java.math.BigInteger("99999999999999999999999"),
            "negative",
            -1,
            "ok",
            2);
    for (String name : List.of("float", "text", "huge", "negative", "ok")) {
      r.integer(in, "", name, 1, 10);
    }
    assertEquals(Set.of("float", "text", "huge", "negative"), failingFields(r));
  }

  @Test
  void strings_refuse_control_characters_and_blank_values() {
    BodyReader r = new BodyReader();
    Map<String, Object> in =
        Map.of("nul", "a\u0000b", "bell", "a\u0007", "blank", "  ", "ok", "Zoë");
    for (String name : List.of("nul", "bell", "blank", "ok")) {
      r.string(in, "", name, 1, 100);
    }
    assertEquals(Set.of("nul", "bell", "blank"), failingFields(r));
  }

  @Test
  void money_refuses_numbers_bad_amounts_and_bad_currencies() {
    BodyReader r = new BodyReader();
    r.money(Map.of("a", Map.of("amount", 12.5, "currency", "EUR")), "", "a");
    r.money(Map.of("b", Map.of("amount", "-1.00", "currency", "EUR")), "", "b");
    r.money(Map.of("c", Map.of("amount", "1.001", "currency", "EUR")), "", "c");
    r.money(Map.of("d", Map.of("amount", "1", "currency", "eur")), "", "d");
    r.money(Map.of("e", Map.of("amount", "1", "currency", "EUR", "fx", 1)), "", "e");
    assertEquals(
        Set.of("a.amount", "b.amount", "c.amount", "d.currency", "e.fx"), failingFields(r));
  }

  @Test
  void dates_must_exist_in_the_calendar_and_be_plain_iso() {
    BodyReader r = new BodyReader();
    Map<String, Object> in =
        Map.of(
            "feb30",
            "2026-02-30",
            "week",
            "2026-W01-1",
            "time",
            "2026-01-01T00:00",
            "y5",
            "+12026-01-01");
    for (String name : in.keySet()) {
      r.date(in, "", name);
    }
    assertEquals(in.keySet(), failingFields(r));
  }
}
