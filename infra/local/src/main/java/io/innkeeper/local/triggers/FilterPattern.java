package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.client.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * A Lambda event filter pattern applied to one event record, as an event source mapping applies its
 * filter criteria: records that do not match never reach the function. The pattern language is
 * EventBridge's, and the matching is AWS's own implementation of it (event-ruler), applied to the
 * record in its Lambda JSON form ({@code eventName}, {@code dynamodb.NewImage} in DynamoDB JSON,
 * ...).
 *
 * <p>Accepted: what Lambda's filter rule syntax lists, that is nested objects, arrays of exact
 * values (strings, numbers, booleans, null), {@code exists}, {@code prefix} and {@code suffix}
 * (also with {@code equals-ignore-case}), {@code equals-ignore-case}, {@code anything-but} (values,
 * or a prefix/suffix), {@code numeric} ranges, and {@code $or}; at most 4096 characters, the length
 * Lambda's API allows. Everything else, including EventBridge operators Lambda does not list
 * ({@code wildcard}, {@code cidr}), is refused when the pattern is parsed, as Lambda refuses it
 * when the event source mapping is created.
 */
public final class FilterPattern {

  /** Lambda's limit on one filter's {@code Pattern} (CreateEventSourceMapping's Filter type). */
  static final int MAX_CHARS = 4096;

  private static final Set<String> OPERATORS =
      Set.of("exists", "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric");

  /** The operators allowed inside another one's object argument, by the outer operator. */
  private static final Map<String, Set<String>> INNER_OPERATORS =
      Map.of(
          "prefix", Set.of("equals-ignore-case"),
          "suffix", Set.of("equals-ignore-case"),
          "anything-but", Set.of("prefix", "suffix"));

  private static final String RULE = "filter";

  private static final FilterPattern MATCH_ALL = new FilterPattern(null, null);

  private final Machine machine;
  private final String json;

  private FilterPattern(Machine machine, String json) {
    this.machine = machine;
    this.json = json;
  }

  /**
   * Parses a pattern; {@code null} or blank gives a pattern that matches everything.
   *
   * @throws IllegalArgumentException for malformed patterns and those Lambda does not accept,
   *     saying what is wrong
   */
  public static FilterPattern parse(String json) {
    if (json == null || json.isBlank()) {
      return MATCH_ALL;
    }
    if (json.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "invalid filter pattern: " + json.length() + " characters, Lambda allows " + MAX_CHARS);
    }
    String problem = JsonRuleCompiler.check(json);
    if (problem != null) {
      // event-ruler appends Jackson's source excerpt on a second line; the pattern is quoted here.
      throw invalid(json, problem.lines().findFirst().orElse(problem));
    }
    refuseOperatorsLambdaLacks(json, Json.readOrNull(json));
    Machine machine = Machine.builder().build();
    try {
      machine.addRule(RULE, json);
    } catch (IOException | RuntimeException e) {
      throw invalid(json, String.valueOf(e.getMessage()));
    }
    return new FilterPattern(machine, json);
  }

  /** Whether the event record (its Lambda JSON form) passes the filter. */
  public boolean matches(JsonNode event) {
    return machine == null || !machine.rulesForJSONEvent(event).isEmpty();
  }

  // event-ruler has checked the structure; what is left is the operators' names. A field's array
  // holds values and matchers; $or's holds whole patterns.
  private static void refuseOperatorsLambdaLacks(String json, JsonNode pattern) {
    for (Map.Entry<String, JsonNode> field : pattern.properties()) {
      JsonNode value = field.getValue();
      if (value.isObject()) {
        refuseOperatorsLambdaLacks(json, value);
      } else if (field.getKey().equals("$or")) {
        value.forEach(alternative -> refuseOperatorsLambdaLacks(json, alternative));
      } else {
        for (JsonNode matcher : value) {
          if (matcher.isObject()) {
            refuseUnlisted(json, matcher);
          }
        }
      }
    }
  }

  private static void refuseUnlisted(String json, JsonNode matcher) {
    Map.Entry<String, JsonNode> operator = matcher.properties().iterator().next();
    String name = operator.getKey();
    if (!OPERATORS.contains(name)) {
      throw invalid(json, name + " is not in Lambda's filter rule syntax");
    }
    if (operator.getValue().isObject()) {
      String inner = operator.getValue().fieldNames().next();
      if (!INNER_OPERATORS.getOrDefault(name, Set.of()).contains(inner)) {
        throw invalid(json, name + " with " + inner + " is not in Lambda's filter rule syntax");
      }
    }
  }

  private static IllegalArgumentException invalid(String json, String why) {
    return new IllegalArgumentException("invalid filter pattern " + json + ": " + why);
  }

  @Override
  public String toString() {
    return json == null ? "(match all)" : json;
  }
}
