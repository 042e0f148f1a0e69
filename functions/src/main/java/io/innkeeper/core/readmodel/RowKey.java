package io.innkeeper.core.readmodel;

import java.util.Objects;

/**
 * The address of a row in a query table. Every query table is keyed by a string partition key
 * {@code pk} and a string sort key {@code sk}, so one store serves them all.
 */
public record RowKey(String table, String pk, String sk) implements Comparable<RowKey> {

  public RowKey {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(pk, "pk");
    Objects.requireNonNull(sk, "sk");
  }

  @Override
  public int compareTo(RowKey o) {
    int c = table.compareTo(o.table);
    if (c == 0) {
      c = pk.compareTo(o.pk);
    }
    return c != 0 ? c : sk.compareTo(o.sk);
  }
}
