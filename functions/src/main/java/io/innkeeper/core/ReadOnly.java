package io.innkeeper.core;

import io.innkeeper.core.command.CommandStatus;
import io.innkeeper.core.command.CommandStatusStore;
import io.innkeeper.core.command.IdempotencyRecord;
import io.innkeeper.core.eventstore.EventStore;
import io.innkeeper.core.eventstore.StateRow;
import io.innkeeper.core.readmodel.Row;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.RowStore;
import io.innkeeper.core.readmodel.RowWrite;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Views of the stores that pass every read through and refuse every write with {@link
 * WriteRefused}. {@link Priming} runs the real write-side pipelines over them: the pipeline does
 * the reads a real command or event does, with the real clients, and is stopped by construction,
 * not by the choice of sample, before it changes anything.
 */
public final class ReadOnly {
  private ReadOnly() {}

  /**
   * Where a pipeline run over a read-only view stopped: at its first write, which did not happen.
   */
  public static final class WriteRefused extends RuntimeException {
    WriteRefused(String what) {
      super(what + " refused: read-only view", null, false, false);
    }
  }

  /**
   * Runs {@code work} up to its first write; a work that ends before writing anything is fine too.
   */
  public static void untilFirstWrite(Runnable work) {
    try {
      work.run();
    } catch (WriteRefused expected) {
      // The pipeline did every read that comes before its write.
    }
  }

  public static EventStore events(EventStore store) {
    return new EventStore() {
      @Override
      public StreamHead load(String streamId) {
        return store.load(streamId);
      }

      @Override
      public AppendOutcome append(Append append) {
        throw new WriteRefused("append to " + append.streamId());
      }

      @Override
      public Map<String, StateRow> loadRows(Collection<String> keys) {
        return store.loadRows(keys);
      }

      @Override
      public Optional<AppliedCommand> findApplied(String commandId) {
        return store.findApplied(commandId);
      }

      @Override
      public Optional<AppliedCommand> findAppliedOn(String streamId, String commandId) {
        return store.findAppliedOn(streamId, commandId);
      }

      // The store's own batched reads, so priming warms the calls processing really makes.
      @Override
      public Start start(String streamId, String commandId) {
        return store.start(streamId, commandId);
      }

      @Override
      public Snapshots loadMany(Collection<String> streams, Collection<String> rowKeys) {
        return store.loadMany(streams, rowKeys);
      }
    };
  }

  public static CommandStatusStore statuses(CommandStatusStore store) {
    return new CommandStatusStore() {
      @Override
      public void accept(CommandStatus pending) {
        throw new WriteRefused("accept " + pending.commandId());
      }

      @Override
      public Optional<IdempotencyRecord> accept(CommandStatus pending, IdempotencyRecord record) {
        throw new WriteRefused("accept " + pending.commandId());
      }

      @Override
      public Optional<CommandStatus> find(String commandId) {
        return store.find(commandId);
      }

      @Override
      public boolean complete(
          String commandId,
          CommandStatus.State state,
          String reason,
          String consistencyToken,
          Instant at) {
        throw new WriteRefused("complete " + commandId + " as " + state);
      }
    };
  }

  public static RowStore rows(RowStore store) {
    return new RowStore() {
      @Override
      public Map<RowKey, Row> get(Collection<RowKey> keys, boolean consistent) {
        return store.get(keys, consistent);
      }

      @Override
      public void commit(List<RowWrite> writes) {
        throw new WriteRefused("commit of " + writes.size() + " rows");
      }

      @Override
      public RowPage query(RowQuery query) {
        return store.query(query);
      }

      @Override
      public void scan(String table, Consumer<Row> each) {
        store.scan(table, each);
      }

      @Override
      public void clear(String table) {
        throw new WriteRefused("clear " + table);
      }
    };
  }
}
