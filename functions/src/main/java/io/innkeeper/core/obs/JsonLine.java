package io.innkeeper.core.obs;

import java.util.Collection;
import java.util.Map;

/**
 * One JSON object written on one line, by hand: log lines are built on every request, and a plain
 * {@link StringBuilder} costs no reflection and no cold-start class loading. Every control
 * character is escaped, so a value can never break the line in two, and a {@code null} value leaves
 * its field out rather than writing {@code null}.
 *
 * <p>Values are written by type: {@link CharSequence} as a string, integral numbers as numbers,
 * finite floating-point numbers as numbers (others as strings), booleans as booleans, a {@link Map}
 * as an object, a {@link Collection} as an array, anything else as its {@code toString()}.
 */
public final class JsonLine {
  private final StringBuilder out = new StringBuilder(256).append('{');
  private boolean empty = true;

  /** Adds a field; a {@code null} value adds nothing. */
  public JsonLine field(String name, Object value) {
    if (value == null) {
      return this;
    }
    name(name);
    value(out, value);
    return this;
  }

  /** Adds a field whose value is already JSON (e.g. an EMF {@code _aws} block). */
  JsonLine rawField(String name, String json) {
    name(name);
    out.append(json);
    return this;
  }

  /** Adds every entry of {@code fields}, in their order; {@code null} values add nothing. */
  public JsonLine fields(Map<String, ?> fields) {
    fields.forEach(this::field);
    return this;
  }

  private void name(String name) {
    if (!empty) {
      out.append(',');
    }
    empty = false;
    string(out, name);
    out.append(':');
  }

  /** The object, closed; one line, no trailing newline. */
  @Override
  public String toString() {
    return out + "}";
  }

  static void value(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence s) {
      string(out, s);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : value);
      } else {
        string(out, value.toString());
      }
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, item);
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  /** A JSON string literal: quotes, backslashes, control and line-separator characters escaped. */
  static void string(StringBuilder out, CharSequence s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // U+2028/U+2029 are legal in JSON but end lines in some readers: escaped too.
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(CharSequence s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    string(b, s);
    return b.toString();
  }
}
