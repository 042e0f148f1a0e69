package io.innkeeper.events;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * An amount in a currency, written as {@code {"amount": "123.45", "currency": "EUR"}}: the amount
 * is a decimal string, never a binary floating-point number.
 */
public record Money(BigDecimal amount, String currency) {

  public Money {
    Objects.requireNonNull(amount);
    Objects.requireNonNull(currency);
  }

  public static Money of(String amount, String currency) {
    return new Money(new BigDecimal(amount), currency);
  }

  /** The sum; both must be in the same currency. */
  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    return new Money(amount.add(other.amount), currency);
  }

  public Map<String, Object> toJson() {
    return Json.obj("amount", amount.toPlainString(), "currency", currency);
  }

  public static Money read(Fields f) {
    try {
      return new Money(new BigDecimal(f.string("amount")), f.string("currency"));
    } catch (NumberFormatException e) {
      throw new ContractException("amount must be a decimal string", e);
    }
  }
}
