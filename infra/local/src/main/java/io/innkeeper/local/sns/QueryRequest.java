package io.innkeeper.local.sns;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of an AWS Query request, as the AWS SDKs and CLI send SNS calls: a form-encoded
 * body (or query string) of {@code Name=value} pairs, where maps are {@code
 * Attributes.entry.N.key}/{@code .value}, lists are {@code Entries.member.N.Field}, and message
 * attributes are {@code MessageAttributes.entry.N.Name} with {@code .Value.DataType}, {@code
 * .Value.StringValue} or {@code .Value.BinaryValue} (Base64). N counts from 1.
 */
final class QueryRequest {

  private final Map<String, String> params;

  private QueryRequest(Map<String, String> params) {
    this.params = params;
  }

  /** Parses {@code application/x-www-form-urlencoded} text; later duplicates win. */
  static QueryRequest parse(String form) {
    Map<String, String> params = new LinkedHashMap<>();
    if (form != null && !form.isEmpty()) {
      for (String pair : form.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          params.put(decode(name), decode(value));
        } catch (IllegalArgumentException e) {
          throw SnsException.invalidParameter(
              "Invalid parameter: malformed form encoding: " + pair);
        }
      }
    }
    return new QueryRequest(params);
  }

  /** This request's parameters and {@code more}'s together ({@code more} wins). */
  QueryRequest with(QueryRequest more) {
    Map<String, String> merged = new LinkedHashMap<>(params);
    merged.putAll(more.params);
    return new QueryRequest(merged);
  }

  String get(String name) {
    return params.get(name);
  }

  /** A parameter SNS requires; its absence is an {@code InvalidParameter}. */
  String required(String name) {
    String value = params.get(name);
    if (value == null) {
      throw SnsException.invalidParameter(
          "Invalid parameter: " + name + " Reason: no value for required parameter");
    }
    return value;
  }

  boolean has(String name) {
    return params.containsKey(name);
  }

  /** A string-to-string map: {@code prefix.entry.N.key} and {@code prefix.entry.N.value}. */
  Map<String, String> map(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (QueryRequest entry : indexed(prefix + ".entry.")) {
      String key = entry.get("key");
      if (key == null) {
        throw SnsException.invalidParameter(
            "Invalid parameter: " + prefix + " Reason: an entry has no key");
      }
      out.put(key, entry.get("value") == null ? "" : entry.get("value"));
    }
    return out;
  }

  /** A list of structures: {@code prefix.member.N.*}, each as a request of its own fields. */
  List<QueryRequest> members(String prefix) {
    return indexed(prefix + ".member.");
  }

  /** Message attributes: {@code prefix.entry.N.Name} and {@code prefix.entry.N.Value.*}. */
  Map<String, MessageAttribute> messageAttributes(String prefix) {
    Map<String, MessageAttribute> out = new LinkedHashMap<>();
    for (QueryRequest entry : indexed(prefix + ".entry.")) {
      String name = entry.get("Name");
      String type = entry.get("Value.DataType");
      if (name == null) {
        throw SnsException.invalidParameterValue("A message attribute has no name.");
      }
      if (type == null) {
        throw SnsException.invalidParameterValue(
            "The message attribute '" + name + "' has no data type.");
      }
      String binary = entry.get("Value.BinaryValue");
      byte[] bytes = null;
      if (binary != null) {
        try {
          bytes = Base64.getDecoder().decode(binary);
        } catch (IllegalArgumentException e) {
          throw SnsException.invalidParameterValue(
              "The message attribute '" + name + "' has a binary value that is not Base64.");
        }
      }
      out.put(name, new MessageAttribute(type, entry.get("Value.StringValue"), bytes));
    }
    return out;
  }

  /** The sub-requests under {@code prefix} + N + {@code .}, in the order of N. */
  private List<QueryRequest> indexed(String prefix) {
    Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!p.getKey().startsWith(prefix)) {
        continue;
      }
      String rest = p.getKey().substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        continue;
      }
      int index;
      try {
        index = Integer.parseInt(rest.substring(0, dot));
      } catch (NumberFormatException e) {
        continue;
      }
      byIndex
          .computeIfAbsent(index, i -> new LinkedHashMap<>())
          .put(rest.substring(dot + 1), p.getValue());
    }
    List<QueryRequest> out = new ArrayList<>(byIndex.size());
    byIndex.values().forEach(fields -> out.add(new QueryRequest(fields)));
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
