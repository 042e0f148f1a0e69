package io.innkeeper.local.triggers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
        "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"Keys\": {\"pk\": {\"S\": [{\"prefix\": \"hotel#\"}]}}}}"
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
        "not json"
      })
  void malformedPatternsAreRefused(String pattern) {
    assertThrows(IllegalArgumentException.class, () -> FilterPattern.parse(pattern));
  }
}
