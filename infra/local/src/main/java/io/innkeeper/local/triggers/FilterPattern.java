package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Lambda event filter pattern (the EventBridge pattern language) applied to one event record, as
 * an event source mapping applies its filter criteria: records that do not match never reach the
 * function. Supported: nested objects, arrays of exact values (strings, numbers, booleans, null),
 * {@code exists}, {@code prefix}, {@code suffix}, {@code equals-ignore-case}, {@code anything-but}
 * (values, or a prefix/suffix), {@code numeric} ranges, and {@code $or}. An event array matches
 * when any of its elements does. Anything else is refused when the pattern is parsed.
 */
public final class FilterPattern {

  private static final Set<String> OPERATORS =
      Set.of("exists", "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric");
  private static final Set<String> COMPARISONS = Set.of("=", "<", "<=", ">", ">=");

  private static final FilterPattern MATCH_ALL = new FilterPattern(null);

  private final ObjectNode pattern;

  private FilterPattern(ObjectNode pattern) {
    this.pattern = pattern;
  }

  /**
   * Parses a pattern; {@code null} or blank gives a pattern that matches everything.
   *
   * @throws IllegalArgumentException for malformed or unsupported patterns
   */
  public static FilterPattern parse(String json) {
    if (json == null || json.isBlank()) {
      return MATCH_ALL;
    }
    JsonNode node = Json.readOrNull(json);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("a filter pattern must be a JSON object: " + json);
    }
    validateObject(object, "");
    return new FilterPattern(object);
  }

  /** Whether the event record (its Lambda JSON form) passes the filter. */
  public boolean matches(JsonNode event) {
    return pattern == null || matchObject(pattern, event);
  }

  private static boolean matchObject(ObjectNode pattern, JsonNode event) {
    for (Map.Entry<String, JsonNode> field : pattern.properties()) {
      String key = field.getKey();
      JsonNode expected = field.getValue();
      if (key.equals("$or")) {
        boolean any = false;
        for (JsonNode alternative : expected) {
          if (matchObject((ObjectNode) alternative, event)) {
            any = true;
            break;
          }
        }
        if (!any) {
          return false;
        }
        continue;
      }
      JsonNode actual = event != null && event.isObject() ? event.get(key) : null;
      boolean matched =
          expected.isObject()
              ? matchObject((ObjectNode) expected, actual)
              : matchLeaf((ArrayNode) expected, actual);
      if (!matched) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchLeaf(ArrayNode matchers, JsonNode actual) {
    for (JsonNode matcher : matchers) {
      if (matcher.isObject() && matcher.has("exists")) {
        boolean present = actual != null && !actual.isObject();
        if (matcher.get("exists").booleanValue() == present) {
          return true;
        }
        continue;
      }
      if (actual == null || actual.isObject()) {
        continue;
      }
      if (actual.isArray()) {
        for (JsonNode element : actual) {
          if (matchValue(matcher, element)) {
            return true;
          }
        }
      } else if (matchValue(matcher, actual)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchValue(JsonNode matcher, JsonNode value) {
    if (!matcher.isObject()) {
      return equal(matcher, value);
    }
    Map.Entry<String, JsonNode> operator = matcher.properties().iterator().next();
    JsonNode argument = operator.getValue();
    switch (operator.getKey()) {
      case "prefix":
        return value.isTextual() && textMatches(argument, value.textValue(), true);
      case "suffix":
        return value.isTextual() && textMatches(argument, value.textValue(), false);
      case "equals-ignore-case":
        return value.isTextual() && value.textValue().equalsIgnoreCase(argument.textValue());
      case "anything-but":
        return anythingBut(argument, value);
      case "numeric":
        return value.isNumber() && numeric((ArrayNode) argument, value.decimalValue());
      default:
        throw new IllegalStateException("validated at parse time: " + operator.getKey());
    }
  }

  private static boolean textMatches(JsonNode argument, String text, boolean prefix) {
    if (argument.isObject()) {
      String expected = argument.get("equals-ignore-case").textValue().toLowerCase();
      String lower = text.toLowerCase();
      return prefix ? lower.startsWith(expected) : lower.endsWith(expected);
    }
    return prefix ? text.startsWith(argument.textValue()) : text.endsWith(argument.textValue());
  }

  private static boolean anythingBut(JsonNode argument, JsonNode value) {
    if (argument.isArray()) {
      for (JsonNode excluded : argument) {
        if (equal(excluded, value)) {
          return false;
        }
      }
      return true;
    }
    if (argument.isObject()) {
      Map.Entry<String, JsonNode> inner = argument.properties().iterator().next();
      if (!value.isTextual()) {
        return true;
      }
      boolean prefix = inner.getKey().equals("prefix");
      return !textMatches(inner.getValue(), value.textValue(), prefix);
    }
    return !equal(argument, value);
  }

  private static boolean numeric(ArrayNode conditions, BigDecimal value) {
    for (int i = 0; i < conditions.size(); i += 2) {
      int c = value.compareTo(conditions.get(i + 1).decimalValue());
      boolean holds =
          switch (conditions.get(i).textValue()) {
            case "=" -> c == 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalStateException("validated at parse time");
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static boolean equal(JsonNode expected, JsonNode value) {
    if (expected.isNumber()) {
      return value.isNumber() && expected.decimalValue().compareTo(value.decimalValue()) == 0;
    }
    if (expected.isNull()) {
      return value.isNull();
    }
    return expected.equals(value);
  }

  private static void validateObject(ObjectNode object, String path) {
    if (object.isEmpty()) {
      throw new IllegalArgumentException("empty object in filter pattern at " + where(path));
    }
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = path + "/" + field.getKey();
      JsonNode value = field.getValue();
      if (field.getKey().equals("$or")) {
        if (!value.isArray() || value.size() < 2) {
          throw new IllegalArgumentException(
              "$or needs an array of at least two patterns at " + key);
        }
        for (JsonNode alternative : value) {
          if (!(alternative instanceof ObjectNode alt)) {
            throw new IllegalArgumentException("$or alternatives must be objects at " + key);
          }
          validateObject(alt, key);
        }
      } else if (value instanceof ObjectNode nested) {
        validateObject(nested, key);
      } else if (value instanceof ArrayNode matchers) {
        if (matchers.isEmpty()) {
          throw new IllegalArgumentException("empty match list at " + key);
        }
        matchers.forEach(m -> validateMatcher(m, key));
      } else {
        throw new IllegalArgumentException(
            "a filter pattern's leaves must be arrays of matchers at " + key);
      }
    }
  }

  private static void validateMatcher(JsonNode matcher, String path) {
    if (matcher.isValueNode()) {
      return;
    }
    if (!matcher.isObject() || matcher.size() != 1) {
      throw new IllegalArgumentException(
          "a matcher must be a value or a one-key object at " + path);
    }
    Map.Entry<String, JsonNode> operator = matcher.properties().iterator().next();
    String name = operator.getKey();
    JsonNode argument = operator.getValue();
    if (!OPERATORS.contains(name)) {
      throw new IllegalArgumentException("unsupported filter operator " + name + " at " + path);
    }
    boolean ok =
        switch (name) {
          case "exists" -> argument.isBoolean();
          case "equals-ignore-case" -> argument.isTextual();
          case "prefix", "suffix" -> argument.isTextual() || isIgnoreCase(argument);
          case "anything-but" -> validAnythingBut(argument);
          case "numeric" -> validNumeric(argument);
          default -> false;
        };
    if (!ok) {
      throw new IllegalArgumentException("malformed " + name + " at " + path + ": " + argument);
    }
  }

  private static boolean isIgnoreCase(JsonNode argument) {
    return argument.isObject()
        && argument.size() == 1
        && argument.has("equals-ignore-case")
        && argument.get("equals-ignore-case").isTextual();
  }

  private static boolean validAnythingBut(JsonNode argument) {
    if (argument.isArray()) {
      for (JsonNode value : argument) {
        if (!value.isValueNode()) {
          return false;
        }
      }
      return !argument.isEmpty();
    }
    if (argument.isObject()) {
      if (argument.size() != 1) {
        return false;
      }
      String inner = argument.fieldNames().next();
      return List.of("prefix", "suffix").contains(inner) && argument.get(inner).isTextual();
    }
    return argument.isValueNode();
  }

  private static boolean validNumeric(JsonNode argument) {
    if (!argument.isArray() || argument.isEmpty() || argument.size() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < argument.size(); i += 2) {
      if (!argument.get(i).isTextual()
          || !COMPARISONS.contains(argument.get(i).textValue())
          || !argument.get(i + 1).isNumber()) {
        return false;
      }
    }
    return true;
  }

  private static String where(String path) {
    return path.isEmpty() ? "the root" : path;
  }

  @Override
  public String toString() {
    return pattern == null ? "(match all)" : Json.write(pattern);
  }
}
