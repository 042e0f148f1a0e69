package io.innkeeper.core.command;

import java.util.Set;

/**
 * What a decision reads besides its own stream: the heads of other streams (for their snapshots)
 * and state rows. All are read strongly consistently just before deciding.
 */
public record Reads(Set<String> streams, Set<String> rows) {

  public static final Reads NONE = new Reads(Set.of(), Set.of());

  public Reads {
    streams = Set.copyOf(streams);
    rows = Set.copyOf(rows);
  }
}
