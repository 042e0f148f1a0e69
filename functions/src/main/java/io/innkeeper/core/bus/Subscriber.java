package io.innkeeper.core.bus;

import io.innkeeper.core.readmodel.RowChange;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.core.readmodel.Rows;
import io.innkeeper.events.published.CloudEvent;
import io.innkeeper.events.published.PublishedEvent;
import java.util.List;

/**
 * What a subscriber service does with each integration event it receives, written like a
 * projection: the rows of its own tables an event needs, and what they become. The {@link
 * SubscriberRuntime} reads the rows, skips an event it has already applied (by the aggregate's
 * {@code sequence}), applies, and writes the changes with the aggregate's new mark in one
 * conditional write, so a redelivered or replayed event changes nothing.
 *
 * <p>It sees published events only, never a domain's internal ones.
 */
public interface Subscriber {

  /** Keys of the rows {@link #apply} needs; empty for an event it ignores. */
  List<RowKey> reads(CloudEvent event, PublishedEvent data);

  /**
   * The rows this event changes, each with its complete new attributes. A row it did not read is
   * created, and the write fails if it exists already.
   */
  List<RowChange> apply(CloudEvent event, PublishedEvent data, Rows current);
}
