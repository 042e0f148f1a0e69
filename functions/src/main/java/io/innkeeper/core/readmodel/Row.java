package io.innkeeper.core.readmodel;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A stored row: its key, its attributes and its revision. Attribute values are {@link String} or
 * {@link Long}; the names {@code pk}, {@code sk} and {@code rev} belong to the store. The revision
 * counts the writes to the row and is what a write is conditional on, so two writers (the live
 * projector and a rebuild) can never overwrite each other's work unseen.
 */
public record Row(RowKey key, Map<String, Object> attributes, long revision) {

  /** Attribute names the store keeps for itself. */
  public static final java.util.Set<String> RESERVED = java.util.Set.of("pk", "sk", "rev");

  public Row {
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  public Optional<String> string(String name) {
    return Optional.ofNullable((String) attributes.get(name));
  }

  public long number(String name, long absent) {
    Object v = attributes.get(name);
    return v == null ? absent : (Long) v;
  }

  /** Checks that attribute names and values are ones every store can keep. */
  static Map<String, Object> checked(Map<String, Object> attributes) {
    attributes.forEach(
        (name, value) -> {
          if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("attribute name " + name + " is reserved");
          }
          if (!(value instanceof String) && !(value instanceof Long)) {
            throw new IllegalArgumentException(
                "attribute " + name + " must be a String or a Long, not " + value);
          }
        });
    return attributes;
  }
}
