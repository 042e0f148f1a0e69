package io.innkeeper.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Filter policies as SNS documents them (Amazon SNS developer guide, "Amazon SNS message
 * filtering"), matched by event-ruler over the JSON the bus makes of a message, and the places
 * where SNS and event-ruler part ways.
 */
class FilterPolicyTest {

  private static FilterPolicy attributes(String policy) {
    return FilterPolicy.parse(policy, FilterPolicy.Scope.MessageAttributes);
  }

  private static FilterPolicy body(String policy) {
    return FilterPolicy.parse(policy, FilterPolicy.Scope.MessageBody);
  }

  private static Map<String, MessageAttribute> attrs(Object... nameThenValue) {
    Map<String, MessageAttribute> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenValue.length; i += 2) {
      m.put((String) nameThenValue[i], (MessageAttribute) nameThenValue[i + 1]);
    }
    return m;
  }

  @Test
  void
      givenAttributesOfEveryType_whenMapped_thenStringsNumbersAndArraysAreJsonAndBinaryIsLeftOut() {
    var event =
        FilterPolicy.attributesAsEvent(
            attrs(
                "type", MessageAttribute.string("ReservationPlaced"),
                "nights", MessageAttribute.number("3"),
                "price", MessageAttribute.number(" 301.50 "),
                "tags", MessageAttribute.stringArray("[\"vip\", 7, true, null]"),
                "blob", MessageAttribute.binary(new byte[] {1, 2}),
                "tenant", new MessageAttribute("String.tenant", "acme", null)));

    assertEquals(
        "{\"type\":\"ReservationPlaced\",\"nights\":3,\"price\":301.50,"
            + "\"tags\":[\"vip\",7,true,null],\"tenant\":\"acme\"}",
        event.toString());
  }

  @Test
  void givenAnExactStringPolicy_whenMatched_thenOnlyListedValuesPassAndMissingKeysFail() {
    FilterPolicy p = attributes("{\"type\":[\"ReservationPlaced\",\"ReservationCancelled\"]}");

    assertTrue(p.matches(attrs("type", MessageAttribute.string("ReservationPlaced")), "x"));
    assertTrue(p.matches(attrs("type", MessageAttribute.string("ReservationCancelled")), "x"));
    assertFalse(p.matches(attrs("type", MessageAttribute.string("AllotmentSet")), "x"));
    assertFalse(p.matches(attrs("other", MessageAttribute.string("ReservationPlaced")), "x"));
    assertFalse(p.matches(Map.of(), "x"));
    // Case-sensitive, as SNS documents.
    assertFalse(p.matches(attrs("type", MessageAttribute.string("reservationplaced")), "x"));
  }

  @Test
  void givenSeveralKeys_whenMatched_thenEveryKeyMustMatch() {
    FilterPolicy p = attributes("{\"type\":[\"ReservationPlaced\"],\"city\":[\"Lisbon\"]}");

    assertTrue(
        p.matches(
            attrs(
                "type", MessageAttribute.string("ReservationPlaced"),
                "city", MessageAttribute.string("Lisbon")),
            "x"));
    assertFalse(
        p.matches(
            attrs(
                "type", MessageAttribute.string("ReservationPlaced"),
                "city", MessageAttribute.string("Porto")),
            "x"));
  }

  @Test
  void givenNumericPolicies_whenMatchedAgainstNumberAttributes_thenValuesCompareAsNumbers() {
    FilterPolicy exact = attributes("{\"price\":[301.5]}");
    FilterPolicy range = attributes("{\"price\":[{\"numeric\":[\">\",0,\"<=\",150]}]}");

    assertTrue(exact.matches(attrs("price", MessageAttribute.number("301.50")), "x"));
    assertFalse(exact.matches(attrs("price", MessageAttribute.number("301.51")), "x"));
    assertTrue(range.matches(attrs("price", MessageAttribute.number("150")), "x"));
    assertFalse(range.matches(attrs("price", MessageAttribute.number("0")), "x"));
    // A String attribute is not a number, even when its text is one.
    assertFalse(exact.matches(attrs("price", MessageAttribute.string("301.5")), "x"));
  }

  @Test
  void givenAStringArrayAttribute_whenMatched_thenAnyElementCounts() {
    FilterPolicy p = attributes("{\"interests\":[\"rugby\",\"tennis\"]}");

    assertTrue(
        p.matches(attrs("interests", MessageAttribute.stringArray("[\"rugby\",\"chess\"]")), "x"));
    assertFalse(p.matches(attrs("interests", MessageAttribute.stringArray("[\"baseball\"]")), "x"));
  }

  @Test
  void givenTheStringOperators_whenMatched_thenTheyBehaveAsSnsDocumentsThem() {
    Map<String, MessageAttribute> placed =
        attrs("type", MessageAttribute.string("ReservationPlaced"));

    assertTrue(attributes("{\"type\":[{\"prefix\":\"Reservation\"}]}").matches(placed, "x"));
    assertTrue(attributes("{\"type\":[{\"suffix\":\"Placed\"}]}").matches(placed, "x"));
    assertTrue(
        attributes("{\"type\":[{\"equals-ignore-case\":\"reservationplaced\"}]}")
            .matches(placed, "x"));
    assertFalse(
        attributes("{\"type\":[{\"anything-but\":[\"ReservationPlaced\"]}]}").matches(placed, "x"));
    assertTrue(
        attributes("{\"type\":[{\"anything-but\":{\"prefix\":\"Hotel\"}}]}").matches(placed, "x"));
    assertTrue(
        attributes("{\"ip\":[{\"cidr\":\"10.0.0.0/24\"}]}")
            .matches(attrs("ip", MessageAttribute.string("10.0.0.42")), "x"));
  }

  @Test
  void givenExistsPolicies_whenMatched_thenPresenceAndAbsenceCount() {
    FilterPolicy present = attributes("{\"guestId\":[{\"exists\":true}]}");
    FilterPolicy absent = attributes("{\"guestId\":[{\"exists\":false}]}");

    assertTrue(present.matches(attrs("guestId", MessageAttribute.string("g1")), "x"));
    assertFalse(present.matches(Map.of(), "x"));
    assertTrue(absent.matches(Map.of(), "x"));
    assertFalse(absent.matches(attrs("guestId", MessageAttribute.string("g1")), "x"));
  }

  @Test
  void givenABinaryAttribute_whenFiltered_thenSnsIgnoresItAsIfItWereAbsent() {
    Map<String, MessageAttribute> binary =
        attrs("guestId", MessageAttribute.binary(new byte[] {1}));

    assertFalse(attributes("{\"guestId\":[{\"exists\":true}]}").matches(binary, "x"));
    assertTrue(attributes("{\"guestId\":[{\"exists\":false}]}").matches(binary, "x"));
  }

  @Test
  void givenAnOrPolicy_whenMatched_thenEitherBranchIsEnough() {
    FilterPolicy p =
        attributes(
            "{\"$or\":[{\"type\":[\"ReservationPlaced\"]},{\"nights\":[{\"numeric\":[\">\",7]}]}]}");

    assertTrue(p.matches(attrs("type", MessageAttribute.string("ReservationPlaced")), "x"));
    assertTrue(p.matches(attrs("nights", MessageAttribute.number("10")), "x"));
    assertFalse(p.matches(attrs("nights", MessageAttribute.number("2")), "x"));
  }

  @Test
  void givenABodyPolicy_whenMatched_thenNestedPropertiesOfAJsonObjectBodyCount() {
    FilterPolicy p =
        body("{\"type\":[\"ReservationPlaced\"],\"data\":{\"nights\":[{\"numeric\":[\">=\",2]}]}}");

    assertTrue(p.matches(Map.of(), "{\"type\":\"ReservationPlaced\",\"data\":{\"nights\":3}}"));
    assertFalse(p.matches(Map.of(), "{\"type\":\"ReservationPlaced\",\"data\":{\"nights\":1}}"));
    // Attributes do not count for a body policy.
    assertFalse(
        p.matches(
            attrs("type", MessageAttribute.string("ReservationPlaced")),
            "{\"data\":{\"nights\":3}}"));
  }

  @Test
  void givenABodyPolicy_whenTheBodyIsNotAJsonObject_thenNothingMatches() {
    FilterPolicy p = body("{\"type\":[{\"exists\":false}]}");

    assertTrue(p.matches(Map.of(), "{}"));
    assertFalse(p.matches(Map.of(), "plain text"));
    assertFalse(p.matches(Map.of(), "[1,2]"));
    assertFalse(p.matches(Map.of(), "{\"broken\":"));
  }

  // Where SNS is stricter than event-ruler: event-ruler alone would accept each of these.

  @Test
  void givenTheWildcardOperator_whenSet_thenRefusedLikeSnsThoughEventRulerKnowsIt() {
    String policy = "{\"type\":[{\"wildcard\":\"Reservation*\"}]}";

    assertNull(JsonRuleCompiler.check(policy), "event-ruler accepts wildcard");
    SnsException e = assertThrows(SnsException.class, () -> attributes(policy));
    assertEquals("InvalidParameter", e.code());
    assertTrue(e.getMessage().contains("wildcard"), e.getMessage());
  }

  @Test
  void givenNestedKeys_whenTheScopeIsAttributes_thenRefusedThoughEventRulerWouldFlattenThem()
      throws Exception {
    String policy = "{\"data\":{\"type\":[\"ReservationPlaced\"]}}";
    Machine machine = Machine.builder().build();
    machine.addRule("r", policy);

    assertFalse(
        machine.rulesForJSONEvent("{\"data\":{\"type\":\"ReservationPlaced\"}}").isEmpty(),
        "event-ruler matches nested keys");
    assertThrows(SnsException.class, () -> attributes(policy));
    assertTrue(body(policy).matches(Map.of(), "{\"data\":{\"type\":\"ReservationPlaced\"}}"));
  }

  @Test
  void givenSixKeys_whenSet_thenRefusedForSnsFiveKeyLimit() {
    String five = "{\"a\":[\"1\"],\"b\":[\"1\"],\"c\":[\"1\"],\"d\":[\"1\"],\"e\":[\"1\"]}";
    String six =
        "{\"a\":[\"1\"],\"b\":[\"1\"],\"c\":[\"1\"],\"d\":[\"1\"],\"e\":[\"1\"],\"f\":[\"1\"]}";

    attributes(five);
    assertNull(JsonRuleCompiler.check(six));
    SnsException e = assertThrows(SnsException.class, () -> attributes(six));
    assertTrue(e.getMessage().contains("5 keys"), e.getMessage());
  }

  @Test
  void givenTooManyCombinations_whenSet_thenRefusedForSnsLimitOf150() {
    // 10 x 15 = 150 is allowed; 10 x 16 = 160 is not.
    String allowed = "{\"a\":" + values(10) + ",\"b\":" + values(15) + "}";
    String tooMany = "{\"a\":" + values(10) + ",\"b\":" + values(16) + "}";

    attributes(allowed);
    SnsException e = assertThrows(SnsException.class, () -> attributes(tooMany));
    assertTrue(e.getMessage().contains("too complex"), e.getMessage());
  }

  @Test
  void givenNumbersBeyondOneBillion_whenSet_thenRefusedForSnsNumericRange() {
    attributes("{\"n\":[1000000000]}");
    assertThrows(SnsException.class, () -> attributes("{\"n\":[1000000001]}"));
    assertThrows(
        SnsException.class, () -> attributes("{\"n\":[{\"numeric\":[\"<\",-2000000000]}]}"));
  }

  @Test
  void givenMalformedPolicies_whenSet_thenInvalidParameterWithTheReason() {
    for (String bad :
        new String[] {
          "not json",
          "[\"a\"]",
          "{\"a\":\"b\"}",
          "{\"a\":[[\"b\"]]}",
          "{\"$or\":[{\"a\":[\"b\"]}]}",
          "{\"a\":[\"b\"],\"a\":[\"c\"]}"
        }) {
      SnsException e = assertThrows(SnsException.class, () -> attributes(bad), bad);
      assertEquals("InvalidParameter", e.code(), bad);
      assertTrue(e.getMessage().startsWith("Invalid parameter: FilterPolicy: "), e.getMessage());
    }
  }

  private static String values(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(i).append('"');
    }
    return b.append(']').toString();
  }
}
