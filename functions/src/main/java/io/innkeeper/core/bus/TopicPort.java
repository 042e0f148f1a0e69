package io.innkeeper.core.bus;

import java.util.List;

/**
 * The event bus as the publisher sees it: a FIFO topic taking batches. {@link SnsTopic} is the real
 * one; tests give their own.
 */
public interface TopicPort {

  /** SNS's limit on the entries of one {@code PublishBatch}. */
  int MAX_ENTRIES = 10;

  /** SNS's limit on one {@code PublishBatch} request, every message and attribute counted. */
  int MAX_BATCH_BYTES = 262_144;

  /**
   * One message.
   *
   * @param id the entry's id within the batch
   * @param body the CloudEvent's JSON
   * @param groupId the FIFO message group: the aggregate
   * @param deduplicationId the event's id
   * @param type the published type, as the message attribute {@code type} filter policies match
   */
  record Entry(String id, String body, String groupId, String deduplicationId, String type) {

    /** The bytes SNS counts for the entry: body, attribute name, type and value. */
    public int size() {
      return utf8(body) + utf8("type") + utf8("String") + utf8(type);
    }

    private static int utf8(String s) {
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
  }

  /**
   * Publishes a batch (at most {@link #MAX_ENTRIES} entries).
   *
   * @return the ids of the entries that failed, each with SNS's reason; empty when all went through
   * @throws RuntimeException when the call as a whole failed (nothing is known to have gone
   *     through)
   */
  java.util.Map<String, String> publishBatch(List<Entry> entries);
}
