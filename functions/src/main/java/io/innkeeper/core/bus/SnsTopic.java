package io.innkeeper.core.bus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/** The event bus on SNS: a FIFO topic, published to with {@code PublishBatch}. */
public final class SnsTopic implements TopicPort {
  private final SnsClient sns;
  private final String topicArn;

  public SnsTopic(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  @Override
  public Map<String, String> publishBatch(List<Entry> entries) {
    List<PublishBatchRequestEntry> request =
        entries.stream()
            .map(
                e ->
                    PublishBatchRequestEntry.builder()
                        .id(e.id())
                        .message(e.body())
                        .messageGroupId(e.groupId())
                        .messageDeduplicationId(e.deduplicationId())
                        .messageAttributes(
                            Map.of(
                                "type",
                                MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue(e.type())
                                    .build()))
                        .build())
            .toList();
    PublishBatchResponse response =
        sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(request));
    Map<String, String> failed = new LinkedHashMap<>();
    for (BatchResultErrorEntry f : response.failed()) {
      failed.put(f.id(), f.code() + (f.message() == null ? "" : ": " + f.message()));
    }
    return failed;
  }
}
