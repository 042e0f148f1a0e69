package io.innkeeper.topology;

import java.util.Objects;

/**
 * An SNS topic: the event bus.
 *
 * @param id logical id
 * @param fifo whether it is a FIFO topic (its physical name then ends in {@code .fifo}): order per
 *     message group and SNS's 5-minute deduplication
 * @param contentBasedDeduplication whether SNS derives deduplication ids from the message body; off
 *     here, since the publisher sends each event's id
 */
public record TopicSpec(String id, boolean fifo, boolean contentBasedDeduplication) {
  public TopicSpec {
    Objects.requireNonNull(id);
  }
}
