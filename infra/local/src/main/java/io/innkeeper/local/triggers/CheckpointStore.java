package io.innkeeper.local.triggers;

import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a stream poller has got to, per shard: the last sequence number done (processed, filtered
 * out or parked) and which shards are finished. With a file, a restart resumes instead of replaying
 * the whole stream; writes are atomic replaces, so a crash leaves the previous checkpoint, and the
 * batch after it is delivered again (at least once, like Lambda).
 */
public final class CheckpointStore {

  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "checkpoints");

  private final Path file;
  private final String streamArn;
  private final Map<String, String> sequences = new HashMap<>();
  private final Set<String> finished = new HashSet<>();

  private CheckpointStore(Path file, String streamArn) {
    this.file = file;
    this.streamArn = streamArn;
  }

  /** Checkpoints that last as long as the process. */
  public static CheckpointStore inMemory(String streamArn) {
    return new CheckpointStore(null, streamArn);
  }

  /**
   * Checkpoints kept in {@code file}. Checkpoints of another stream (the table was recreated) are
   * ignored.
   */
  public static CheckpointStore file(Path file, String streamArn) throws IOException {
    CheckpointStore store = new CheckpointStore(file, streamArn);
    if (Files.exists(file)) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      if (streamArn.equals(properties.getProperty("streamArn"))) {
        for (String name : properties.stringPropertyNames()) {
          if (name.startsWith("sequence.")) {
            store.sequences.put(name.substring("sequence.".length()), properties.getProperty(name));
          } else if (name.startsWith("finished.")) {
            store.finished.add(name.substring("finished.".length()));
          }
        }
      } else {
        LOG.warn(file + " belongs to another stream; starting over");
      }
    }
    return store;
  }

  /** The last sequence number done in the shard, or {@code null}. */
  public synchronized String sequence(String shardId) {
    return sequences.get(shardId);
  }

  public synchronized boolean isFinished(String shardId) {
    return finished.contains(shardId);
  }

  /** Records that everything up to {@code sequenceNumber} in the shard is done. */
  public synchronized void done(String shardId, String sequenceNumber) {
    sequences.put(shardId, sequenceNumber);
    save();
  }

  /** Records that the shard is closed and fully done. */
  public synchronized void finish(String shardId) {
    finished.add(shardId);
    save();
  }

  private void save() {
    if (file == null) {
      return;
    }
    // TreeMap: a stable order keeps the file diffable.
    Map<String, String> entries = new TreeMap<>();
    entries.put("streamArn", streamArn);
    sequences.forEach((shard, seq) -> entries.put("sequence." + shard, seq));
    finished.forEach(shard -> entries.put("finished." + shard, "true"));
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (Map.Entry<String, String> entry : entries.entrySet()) {
          writer.write(entry.getKey() + "=" + entry.getValue().replace(":", "\\:") + "\n");
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot save " + file + "; a restart will replay more", e);
    }
  }
}
