package io.innkeeper.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, explicit access to the fields of a decoded JSON object. Stored payloads were written by
 * us, so a missing or mistyped field is a contract breach, reported with the field's name.
 */
public final class Fields {
  private final Map<String, Object> map;
  private final String where;

  public Fields(Map<String, Object> map, String where) {
    this.map = map;
    this.where = where;
  }

  public Map<String, Object> map() {
    return map;
  }

  public String string(String name) {
    return require(name, String.class);
  }

  /** A field added after version 1 of a type: absent reads as {@code null}. */
  public String optionalString(String name) {
    Object v = map.get(name);
    return v == null ? null : cast(name, v, String.class);
  }

  public int integer(String name) {
    Object v = map.get(name);
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Long || v instanceof BigInteger || v instanceof BigDecimal) {
      try {
        return new BigDecimal(v.toString()).intValueExact();
      } catch (ArithmeticException e) {
        throw breach(name, "an int");
      }
    }
    throw breach(name, "an int");
  }

  public boolean bool(String name) {
    Object v = map.get(name);
    if (v instanceof Boolean b) {
      return b;
    }
    throw breach(name, "a boolean");
  }

  public Instant instant(String name) {
    try {
      return Instant.parse(string(name));
    } catch (DateTimeParseException e) {
      throw breach(name, "an ISO-8601 instant");
    }
  }

  public LocalDate date(String name) {
    try {
      return LocalDate.parse(string(name));
    } catch (DateTimeParseException e) {
      throw breach(name, "an ISO date");
    }
  }

  public Fields object(String name) {
    return new Fields(asMap(name, map.get(name)), where + "." + name);
  }

  public <T> List<T> list(String name, Function<Fields, T> element) {
    Object v = map.get(name);
    if (!(v instanceof List<?> raw)) {
      throw breach(name, "an array");
    }
    List<T> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      out.add(
          element.apply(
              new Fields(
                  asMap(name + "[" + i + "]", raw.get(i)), where + "." + name + "[" + i + "]")));
    }
    return List.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asMap(String name, Object v) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw breach(name, "an object");
  }

  private <T> T require(String name, Class<T> type) {
    Object v = map.get(name);
    if (v == null) {
      throw new ContractException(where + ": missing field '" + name + "'");
    }
    return cast(name, v, type);
  }

  private <T> T cast(String name, Object v, Class<T> type) {
    if (!type.isInstance(v)) {
      throw breach(name, "a " + type.getSimpleName());
    }
    return type.cast(v);
  }

  private ContractException breach(String name, String expected) {
    return new ContractException(where + ": field '" + name + "' must be " + expected);
  }
}
