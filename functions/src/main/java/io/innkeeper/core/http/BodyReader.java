package io.innkeeper.core.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a JSON request body field by field and collects every failure, so one 400 lists them
 * all. Getters return {@code null} for a failing field; call {@link #throwIfInvalid()} before using
 * the values.
 */
public final class BodyReader {
  private final List<FieldError> errors = new ArrayList<>();

  /** Flags every field not in {@code allowed} (commands refuse unknown fields). */
  public void onlyFields(Map<String, Object> object, String prefix, Set<String> allowed) {
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        fail(prefix + key, "is not a known field");
      }
    }
  }

  /** A required string of {@code min..max} characters, without control characters. */
  public String string(Map<String, Object> object, String prefix, String name, int min, int max) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof String s)) {
      return failNull(field, "must be a string");
    }
    int length = s.codePointCount(0, s.length());
    if (s.isBlank() && min > 0) {
      return failNull(field, "must not be blank");
    }
    if (length < min || length > max) {
      return failNull(field, "must have " + min + " to " + max + " characters");
    }
    if (s.codePoints().anyMatch(Character::isISOControl)) {
      return failNull(field, "must not contain control characters");
    }
    return s;
  }

  /** A required string matching {@code pattern}. */
  public String matching(Map<String, Object> object, String prefix, String name, Pattern pattern) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof String s) || !pattern.matcher(s).matches()) {
      return failNull(field, "must match " + pattern.pattern());
    }
    return s;
  }

  /** A required whole number in {@code min..max}; {@code 2.0} and {@code "2"} are refused. */
  public Integer integer(Map<String, Object> object, String prefix, String name, int min, int max) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)) {
      return failNull(field, "must be an integer");
    }
    BigInteger value = new BigInteger(v.toString());
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      return failNull(field, "must be between " + min + " and " + max);
    }
    return value.intValue();
  }

  /** A required array of {@code min..max} objects. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> objects(
      Map<String, Object> object, String prefix, String name, int min, int max) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof List<?> list)) {
      return failNull(field, "must be an array");
    }
    if (list.size() < min || list.size() > max) {
      return failNull(field, "must have " + min + " to " + max + " items");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      } else {
        fail(field + "[" + i + "]", "must be an object");
        out.add(null);
      }
    }
    return out;
  }

  public void fail(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** Answers 400 with every failing field. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
  }

  static boolean isNumber(Object v) {
    return v instanceof Number || v instanceof BigDecimal;
  }

  private <T> T failNull(String field, String message) {
    fail(field, message);
    return null;
  }
}
