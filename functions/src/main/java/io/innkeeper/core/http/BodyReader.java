package io.innkeeper.core.http;

import io.innkeeper.events.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
  /**
   * The contract (docs/api.md): dates are ISO {@code YYYY-MM-DD}, nothing looser (no week dates, no
   * offsets).
   */
  static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");

  /** A money amount: a decimal string of at most 8 integer digits and 2 fraction digits. */
  static final Pattern AMOUNT = Pattern.compile("^[0-9]{1,8}(\\.[0-9]{1,2})?$");

  /** An ISO 4217-shaped currency code. */
  static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

  private static final Pattern INTEGER_TEXT = Pattern.compile("^-?[0-9]{1,12}$");

  private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");

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

  /**
   * An optional string of at most {@code max} characters without control characters: absent or
   * {@code null} reads as {@code null}; any other value is kept as sent, blank included.
   */
  public String optionalString(Map<String, Object> object, String prefix, String name, int max) {
    if (object.get(name) == null) {
      return null;
    }
    return string(object, prefix, name, 0, max);
  }

  /** The id in path parameter {@code name} ({@link ApiRequest#pathId}), its failure collected. */
  public String pathId(ApiRequest request, String name) {
    try {
      return request.pathId(name);
    } catch (Problem p) {
      // Collected rather than thrown so one 400 lists the path and the body's failures together.
      p.errors().forEach(e -> fail(e.field(), e.message()));
      return null;
    }
  }

  /** A required date {@code YYYY-MM-DD} that exists in the calendar ({@code 2026-02-30} fails). */
  public LocalDate date(Map<String, Object> object, String prefix, String name) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof String s) || !DATE.matcher(s).matches()) {
      return failNull(field, "must be a date YYYY-MM-DD");
    }
    try {
      // ISO_LOCAL_DATE resolves strictly, so day 30 of February is an error, not March 2.
      return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      return failNull(field, "is not a calendar date");
    }
  }

  /** The nights [start, end) between two dates. */
  public record Nights(LocalDate start, LocalDate end) {}

  /**
   * Two required dates {@code startName} and {@code endName} that bound 1 to {@code maxNights}
   * nights [start, end); a span that is empty or too long is reported on {@code endName}. The cap
   * bounds the work one request can cause.
   */
  public Nights nights(Map<String, Object> in, String startName, String endName, int maxNights) {
    LocalDate start = date(in, "", startName);
    LocalDate end = date(in, "", endName);
    if (start != null && end != null) {
      long nights = java.time.temporal.ChronoUnit.DAYS.between(start, end);
      if (nights < 1) {
        fail(endName, "must be after " + startName);
      } else if (nights > maxNights) {
        fail(endName, "must be at most " + maxNights + " nights after " + startName);
      }
    }
    return new Nights(start, end);
  }

  /**
   * A required money object with exactly {@code amount} (a decimal string; JSON numbers are refused
   * so no amount ever passes through binary floating point) and {@code currency}. Failures are
   * named {@code <field>.amount}, {@code <field>.currency}.
   */
  @SuppressWarnings("unchecked")
  public Money money(Map<String, Object> object, String prefix, String name) {
    Object v = object.get(name);
    String field = prefix + name;
    if (v == null) {
      return failNull(field, "is required");
    }
    if (!(v instanceof Map<?, ?> m)) {
      return failNull(field, "must be an object {\"amount\": \"12.34\", \"currency\": \"EUR\"}");
    }
    Map<String, Object> money = (Map<String, Object>) m;
    String nested = field + ".";
    onlyFields(money, nested, MONEY_FIELDS);
    Object rawAmount = money.get("amount");
    String amount = null;
    if (rawAmount == null) {
      fail(nested + "amount", "is required");
    } else if (!(rawAmount instanceof String s) || !AMOUNT.matcher(s).matches()) {
      fail(nested + "amount", "must be a decimal string matching " + AMOUNT.pattern());
    } else {
      amount = s;
    }
    String currency = matching(money, nested, "currency", CURRENCY);
    if (amount == null || currency == null) {
      return null;
    }
    return new Money(new BigDecimal(amount), currency);
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

  /**
   * A whole number in {@code min..max} sent as text (a query parameter), or {@code fallback} when
   * absent; {@code "2.0"}, {@code "+2"} and {@code "0x2"} are refused.
   */
  public Integer integerParam(
      Map<String, Object> params, String name, int min, int max, Integer fallback) {
    Object v = params.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s) || !INTEGER_TEXT.matcher(s).matches()) {
      return failNull(name, "must be an integer");
    }
    return integer(Map.of(name, new BigInteger(s)), "", name, min, max);
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

  private <T> T failNull(String field, String message) {
    fail(field, message);
    return null;
  }
}
