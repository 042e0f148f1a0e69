package io.innkeeper.ops;

import io.innkeeper.core.bus.SubscriberRuntime;
import io.innkeeper.core.domain.SubscriberService;
import io.innkeeper.core.projection.Watermarks;
import io.innkeeper.events.published.CloudEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Whether a subscriber service inside the product has applied what the record implies: its mark for
 * each aggregate (the highest {@code sequence} it applied, kept beside its rows) must be the
 * sequence of the last event of a type it follows. A mark below it is an event lost (or not yet
 * applied); above it, one applied that the record does not have.
 */
public final class SubscriberMarks {
  private SubscriberMarks() {}

  /**
   * The aggregates whose mark in {@code marksTable} differs from what {@code record} implies for
   * {@code service}, each as {@code subject: mark M, record S}.
   */
  public static List<String> differences(
      DynamoDbClient ddb,
      String marksTable,
      SubscriberService service,
      Map<String, List<CloudEvent>> record) {
    Map<String, Long> expected = new HashMap<>();
    record.forEach(
        (subject, events) -> {
          for (CloudEvent e : events) {
            if (service.types().contains(e.type())) {
              expected.merge(subject, e.sequence(), Math::max);
            }
          }
        });
    Map<String, Long> marks = new HashMap<>();
    List<String> subjects = new ArrayList<>(expected.keySet());
    for (int i = 0; i < subjects.size(); i += 100) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String s : subjects.subList(i, Math.min(subjects.size(), i + 100))) {
        keys.add(Map.of("pk", AttributeValue.fromS(s), "sk", AttributeValue.fromS(Watermarks.SK)));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(marksTable, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      // BatchGetItem may answer part of the keys: ask again for the rest.
      while (request != null && !request.isEmpty()) {
        Map<String, KeysAndAttributes> asked = request;
        var answer = ddb.batchGetItem(r -> r.requestItems(asked));
        answer
            .responses()
            .getOrDefault(marksTable, List.of())
            .forEach(
                item ->
                    marks.put(
                        item.get("pk").s(), Long.parseLong(item.get(SubscriberRuntime.MARK).n())));
        request = answer.unprocessedKeys();
      }
    }
    List<String> out = new ArrayList<>();
    expected.forEach(
        (subject, sequence) -> {
          long mark = marks.getOrDefault(subject, 0L);
          if (mark != sequence) {
            out.add(subject + ": mark " + mark + ", record " + sequence);
          }
        });
    out.sort(null);
    return out;
  }
}
