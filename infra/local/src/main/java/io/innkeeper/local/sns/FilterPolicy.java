package io.innkeeper.local.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * A subscription's filter policy, checked against SNS's rules when it is set and matched with AWS's
 * own event-ruler (the matcher behind EventBridge patterns, whose syntax SNS filter policies
 * share).
 *
 * <p>Event-ruler matches JSON events, so a message is turned into one: with scope {@code
 * MessageAttributes} the attributes become an object of {@code name: value}, a {@code String} as a
 * JSON string, a {@code Number} as a JSON number, a {@code String.Array} as the JSON array it
 * holds, and {@code Binary} attributes left out (SNS ignores them); with scope {@code MessageBody}
 * the body itself is the event, and a body that is not a JSON object matches nothing.
 *
 * <p>Where SNS is stricter than event-ruler, this class enforces SNS's rule before event-ruler sees
 * the policy: at most 5 keys, at most 150 value combinations, no nested keys for attribute
 * policies, numbers within ±10^9, at most 256 KiB, and none of event-ruler's operators that SNS
 * does not have ({@code wildcard}).
 */
final class FilterPolicy {

  /** What a policy is matched against. */
  enum Scope {
    MessageAttributes,
    MessageBody;

    static Scope parse(String value) {
      for (Scope s : values()) {
        if (s.name().equals(value)) {
          return s;
        }
      }
      throw SnsException.invalidParameter(
          "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value ["
              + value
              + "]. Please use either MessageBody or MessageAttributes");
    }
  }

  static final int MAX_KEYS = 5;
  static final int MAX_COMBINATIONS = 150;
  static final int MAX_BYTES = 256 * 1024;
  private static final BigDecimal MAX_NUMBER = BigDecimal.valueOf(1_000_000_000L);

  /** Operators event-ruler understands; SNS has all but {@code wildcard}. */
  private static final Set<String> SNS_OPERATORS =
      Set.of("exists", "prefix", "suffix", "anything-but", "numeric", "cidr", "equals-ignore-case");

  // SNS refuses a policy with a duplicate key and compares numbers exactly.
  private static final ObjectMapper JSON = Json.STRICT;

  private static final String RULE = "policy";

  private final String text;
  private final Scope scope;
  private final Machine machine;

  private FilterPolicy(String text, Scope scope, Machine machine) {
    this.text = text;
    this.scope = scope;
    this.machine = machine;
  }

  /**
   * Checks {@code policy} against SNS's rules for {@code scope} and compiles it.
   *
   * @throws SnsException {@code InvalidParameter} naming what is wrong
   */
  static FilterPolicy parse(String policy, Scope scope) {
    if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw invalid("Filter policy is too large");
    }
    JsonNode root;
    try {
      root = JSON.readTree(policy);
    } catch (IOException e) {
      throw invalid("failed to parse JSON. " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw invalid("Filter policy must be a JSON object");
    }
    Set<String> keys = new TreeSet<>();
    checkObject((ObjectNode) root, scope, 0, keys);
    if (keys.size() > MAX_KEYS) {
      throw invalid("Filter policy can not have more than " + MAX_KEYS + " keys");
    }
    long combinations = combinations(root);
    if (combinations > MAX_COMBINATIONS) {
      throw invalid("Filter policy is too complex");
    }
    String problem = JsonRuleCompiler.check(policy);
    if (problem != null) {
      throw invalid(problem);
    }
    Machine machine = Machine.builder().build();
    try {
      machine.addRule(RULE, policy);
    } catch (IOException | RuntimeException e) {
      throw invalid(firstLine(e.getMessage()));
    }
    return new FilterPolicy(policy, scope, machine);
  }

  String text() {
    return text;
  }

  Scope scope() {
    return scope;
  }

  /** Whether SNS delivers a message with these attributes and this body under this policy. */
  boolean matches(Map<String, MessageAttribute> attributes, String body) {
    JsonNode event;
    if (scope == Scope.MessageAttributes) {
      event = attributesAsEvent(attributes);
    } else {
      try {
        event = JSON.readTree(body);
      } catch (IOException e) {
        return false;
      }
      if (event == null || !event.isObject()) {
        return false;
      }
    }
    return !machine.rulesForJSONEvent(event).isEmpty();
  }

  /**
   * The JSON event a policy of scope {@code MessageAttributes} is matched against. Attributes were
   * validated at publish, so every value here parses.
   */
  static ObjectNode attributesAsEvent(Map<String, MessageAttribute> attributes) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    attributes.forEach(
        (name, attribute) -> {
          switch (attribute.baseType()) {
            case "Number" -> event.put(name, new BigDecimal(attribute.stringValue().trim()));
            case "String" -> {
              if (attribute.isStringArray()) {
                event.set(name, parseArray(attribute.stringValue()));
              } else {
                event.put(name, attribute.stringValue());
              }
            }
            default -> {
              // Binary: SNS ignores binary attributes when filtering.
            }
          }
        });
    return event;
  }

  /** A {@code String.Array} value, or {@code null} if it is not a JSON array of scalars. */
  static ArrayNode parseArray(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isArray()) {
        return null;
      }
      for (JsonNode element : node) {
        if (element.isContainerNode()) {
          return null;
        }
      }
      return (ArrayNode) node;
    } catch (IOException e) {
      return null;
    }
  }

  private static void checkObject(ObjectNode object, Scope scope, int depth, Set<String> keys) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("$or")) {
        if (!value.isArray() || value.size() < 2) {
          throw invalid("$or must be an array of at least two objects");
        }
        for (JsonNode branch : value) {
          if (!branch.isObject()) {
            throw invalid("$or must be an array of at least two objects");
          }
          checkObject((ObjectNode) branch, scope, depth, keys);
        }
        continue;
      }
      if (depth == 0) {
        keys.add(key);
      }
      if (value.isObject()) {
        if (scope == Scope.MessageAttributes) {
          throw invalid(
              "Filter policy scope MessageAttributes does not support nested filter policy");
        }
        checkObject((ObjectNode) value, scope, depth + 1, keys);
      } else if (value.isArray()) {
        for (JsonNode element : value) {
          checkValue(key, element);
        }
      } else {
        throw invalid("\"" + key + "\" must be an object or an array");
      }
    }
  }

  private static void checkValue(String key, JsonNode element) {
    if (element.isNumber()) {
      checkNumber(element);
    } else if (element.isObject()) {
      for (Map.Entry<String, JsonNode> operator : element.properties()) {
        if (!SNS_OPERATORS.contains(operator.getKey())) {
          throw invalid("Unrecognized match type " + operator.getKey());
        }
        if (operator.getKey().equals("numeric")) {
          for (JsonNode operand : operator.getValue()) {
            if (operand.isNumber()) {
              checkNumber(operand);
            }
          }
        }
      }
    } else if (element.isArray()) {
      throw invalid("Match value must be String, number, true, false, or null");
    }
  }

  private static void checkNumber(JsonNode number) {
    if (number.decimalValue().abs().compareTo(MAX_NUMBER) > 0) {
      throw invalid("Numeric values must be between -10^9 and 10^9: " + number);
    }
  }

  /** The product of the value counts of every key, where each {@code $or} adds its branches. */
  private static long combinations(JsonNode node) {
    long product = 1;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      long factor;
      if (field.getKey().equals("$or")) {
        factor = 0;
        for (JsonNode branch : value) {
          factor += combinations(branch);
        }
      } else if (value.isObject()) {
        factor = combinations(value);
      } else {
        factor = Math.max(1, value.size());
      }
      product = Math.min(product * factor, Integer.MAX_VALUE);
    }
    return product;
  }

  private static SnsException invalid(String reason) {
    return SnsException.invalidParameter("Invalid parameter: FilterPolicy: " + reason);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
