package io.innkeeper.core.readmodel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The port to the query tables: rows read by key or by a sort-key range of one partition, and
 * written all-or-nothing under revision conditions. {@link DynamoRowStore} is the real adapter;
 * {@link InMemoryRowStore} serves tests and {@code verify}'s from-scratch projection.
 */
public interface RowStore {

  /**
   * Reads rows by key; absent rows are missing from the answer.
   *
   * @param consistent a strongly consistent read (what a query bound to a consistency token needs)
   */
  Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent);

  default Optional<Row> get(RowKey key, boolean consistent) {
    return Optional.ofNullable(get(List.of(key), consistent).get(key));
  }

  /**
   * Applies every write or none.
   *
   * @throws RowConflictException if a row is no longer at its expected revision
   */
  void commit(List<RowWrite> writes);

  /** Rows of one partition whose sort keys lie in a range, in sort-key order. */
  RowPage query(RowQuery query);

  /** Every row of a table, in no particular order. */
  void scan(String table, Consumer<Row> each);

  /** Deletes every row of a table (rebuild's reset; never while the projector runs). */
  void clear(String table);

  /**
   * A range query on one partition.
   *
   * @param fromSk lowest sort key, inclusive
   * @param toSk highest sort key, inclusive
   * @param descending highest sort key first
   * @param limit the most rows to return
   * @param afterSk continue after this sort key (in the query's direction), or {@code null}
   */
  record RowQuery(
      String table,
      String pk,
      String fromSk,
      String toSk,
      boolean descending,
      int limit,
      String afterSk,
      boolean consistent) {}

  /** A page of rows; {@code more} when the range may hold rows after the last one. */
  record RowPage(List<Row> rows, boolean more) {}
}
