package io.innkeeper.local.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.client.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterPatternTest {

  private static final String EVENT =
      """
      {"eventName": "INSERT",
       "dynamodb": {
         "Keys": {"pk": {"S": "hotel#1"}, "sk": {"N": "3"}},
         "NewImage": {"kind": {"S": "event"}, "type": {"S": "HotelRegistered"},
                      "tags": {"SS": ["a", "b"]}, "version": {"N": "3"}},
         "SizeBytes": 120
       },
       "score": 7.5,
       "flag": true,
       "nothing": null}
      """;

  private static boolean matches(String pattern) {
    JsonNode event = Json.readOrNull(EVENT);
    return FilterPattern.parse(pattern).matches(event);
  }

  @Test
  void innkeeperEventsOnlyFilter() {
    String pattern = "{\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"event\"]}}}}";
    assertTrue(matches(pattern));
    JsonNode head = Json.readOrNull("{\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"head\"]}}}}");
    assertFalse(FilterPattern.parse(pattern).matches(head));
    JsonNode remove = Json.readOrNull("{\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{}}}");
    assertFalse(FilterPattern.parse(pattern).matches(remove));
  }

  @Test
  void noPatternMatchesEverything() {
    assertTrue(matches(null));
    assertTrue(matches("  "));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"eventName\": [\"MODIFY\", \"INSERT\"]}",
        "{\"dynamodb\": {\"NewImage\": {\"tags\": {\"SS\": [\"b\"]}}}}",
        "{\"score\": [7.50]}",
        "{\"dynamodb\": {\"SizeBytes\": [120]}}",
        "{\"flag\": [true]}",
        "{\"nothing\": [null]}",
        "{\"nothing\": [{\"exists\": true}]}",
        "{\"dynamodb\": {\"OldImage\": {\"kind\": {\"S\": [{\"exists\": false}]}}}}",
        "{\"missing\": [{\"exists\": false}]}",
        "{\"dynamodb\": {\"NewImage\": {\"type\": {\"S\": [{\"prefix\": \"Hotel\"}]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"type\": {\"S\": [{\"suffix\": \"Registered\"}]}}}}",
        "{\"eventName\": [{\"equals-ignore-case\": \"insert\"}]}",
        "{\"dynamodb\": {\"NewImage\": {\"type\": {\"S\": [{\"prefix\": {\"equals-ignore-case\": \"hotel\"}}]}}}}",
        "{\"eventName\": [{\"anything-but\": [\"REMOVE\"]}]}",
        "{\"eventName\": [{\"anything-but\": \"REMOVE\"}]}",
        "{\"eventName\": [{\"anything-but\": {\"prefix\": \"REM\"}}]}",
        "{\"score\": [{\"numeric\": [\">\", 7, \"<=\", 7.5]}]}",
        "{\"dynamodb\": {\"SizeBytes\": [{\"numeric\": [\"=\", 120]}]}}",
        "{\"$or\": [{\"eventName\": [\"REMOVE\"]}, {\"flag\": [true]}]}",
        "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"Keys\": {\"pk\": {\"S\": [{\"prefix\": \"hotel#\"}]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"version\": {\"N\": [\"3\"]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"type\": {\"S\": [{\"suffix\": {\"equals-ignore-case\": \"REGISTERED\"}}]}}}}",
        "{\"$or\": [{\"eventName\": [\"REMOVE\"]}, {\"dynamodb\": {\"NewImage\": {\"kind\": {\"S\": [\"event\"]}}}}]}"
      })
  void matching(String pattern) {
    assertTrue(matches(pattern), pattern);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"eventName\": [\"MODIFY\"]}",
        "{\"eventName\": [\"insert\"]}",
        "{\"dynamodb\": {\"NewImage\": {\"tags\": {\"SS\": [\"c\"]}}}}",
        "{\"dynamodb\": {\"NewImage\": {\"version\": {\"N\": [3]}}}}",
        "{\"score\": [\"7.5\"]}",
        "{\"flag\": [false]}",
        "{\"nothing\": [{\"exists\": false}]}",
        "{\"missing\": [{\"exists\": true}]}",
        "{\"missing\": [\"x\"]}",
        "{\"dynamodb\": {\"NewImage\": [{\"exists\": true}]}}",
        "{\"missing\": [{\"anything-but\": [\"x\"]}]}",
        "{\"eventName\": [{\"anything-but\": [\"INSERT\", \"REMOVE\"]}]}",
        "{\"eventName\": [{\"anything-but\": {\"suffix\": \"SERT\"}}]}",
        "{\"score\": [{\"numeric\": [\">\", 7.5]}]}",
        "{\"dynamodb\": {\"NewImage\": {\"version\": {\"N\": [{\"numeric\": [\">\", 0]}]}}}}",
        "{\"$or\": [{\"eventName\": [\"REMOVE\"]}, {\"flag\": [false]}]}",
        "{\"eventName\": [\"INSERT\"], \"flag\": [false]}",
        "{\"dynamodb\": {\"Keys\": {\"pk\": {\"S\": [{\"prefix\": \"room#\"}]}}}}"
      })
  void notMatching(String pattern) {
    assertFalse(matches(pattern), pattern);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]",
        "{\"a\": \"b\"}",
        "{\"a\": []}",
        "{\"a\": {}}",
        "{\"a\": [{\"wildcard\": \"x*\"}]}",
        "{\"a\": [{\"prefix\": 3}]}",
        "{\"a\": [{\"numeric\": [\">\"]}]}",
        "{\"a\": [{\"numeric\": [\"~\", 1]}]}",
        "{\"a\": [{\"exists\": \"yes\"}]}",
        "{\"a\": [{\"prefix\": \"x\", \"suffix\": \"y\"}]}",
        "{\"$or\": [{\"a\": [1]}]}",
        "not json",
        "{}",
        "{\"a\": [{\"anything-but\": [1, \"x\"]}]}"
      })
  void malformedPatternsAreRefused(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse(pattern));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\": [{\"wildcard\": \"x*\"}]}|wildcard",
        "{\"a\": [{\"cidr\": \"10.0.0.0/8\"}]}|cidr",
        "{\"a\": [{\"anything-but\": {\"wildcard\": \"x*\"}}]}|anything-but with wildcard",
        "{\"a\": [{\"anything-but\": {\"equals-ignore-case\": \"x\"}}]}|anything-but with equals-ignore-case",
        "{\"$or\": [{\"a\": [{\"wildcard\": \"x*\"}]}, {\"b\": [1]}]}|wildcard",
        "{\"a\": {\"b\": [\"x\", {\"cidr\": \"10.0.0.0/8\"}]}}|cidr"
      })
  void eventBridgeOperatorsLambdaDoesNotListAreRefusedByName(String pattern, String operator) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse(pattern));
    assertEquals(
        "invalid filter pattern "
            + pattern
            + ": "
            + operator
            + " is not in Lambda's filter rule syntax",
        refused.getMessage());
  }

  @Test
  void theRefusalQuotesThePatternAndSaysWhatIsWrong() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse("{\"a\": \"b\"}"));

    assertEquals(
        "invalid filter pattern {\"a\": \"b\"}: \"a\" must be an object or an array",
        refused.getMessage());
  }

  @Test
  void patternsOverLambdasLengthLimitAreRefused() {
    String value = "x".repeat(FilterPattern.MAX_CHARS - "{\"a\": [\"\"]}".length());
    String longest = "{\"a\": [\"" + value + "\"]}";
    String tooLong = "{\"a\": [\"" + value + "y\"]}";

    assertEquals(FilterPattern.MAX_CHARS, longest.length());
    assertTrue(FilterPattern.parse(longest).matches(Json.readOrNull("{\"a\": \"" + value + "\"}")));
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse(tooLong));
    assertEquals(
        "invalid filter pattern: 4097 characters, Lambda allows 4096", refused.getMessage());
  }

  @Test
  void fieldsInsideOneListElementMatchTogetherNotAcrossElements() {
    // A DynamoDB list of maps: EventBridge (and so Lambda) matches fields of one element together.
    JsonNode event =
        Json.readOrNull(
            """
            {"dynamodb": {"NewImage": {"stays": {"L": [
              {"M": {"room": {"S": "DOUBLE"}, "nights": {"S": "2"}}},
              {"M": {"room": {"S": "SUITE"}, "nights": {"S": "5"}}}]}}}}
            """);
    String sameElement =
        "{\"dynamodb\": {\"NewImage\": {\"stays\": {\"L\": {\"M\": {"
            + "\"room\": {\"S\": [\"SUITE\"]}, \"nights\": {\"S\": [\"5\"]}}}}}}}";
    String acrossElements =
        "{\"dynamodb\": {\"NewImage\": {\"stays\": {\"L\": {\"M\": {"
            + "\"room\": {\"S\": [\"SUITE\"]}, \"nights\": {\"S\": [\"2\"]}}}}}}}";

    assertTrue(FilterPattern.parse(sameElement).matches(event));
    assertFalse(FilterPattern.parse(acrossElements).matches(event));
  }
}
