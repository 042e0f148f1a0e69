package io.innkeeper.local.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.client.Json;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a partial batch response ({@code SQSBatchResponse} or {@code StreamsEventResponse}) the way
 * Lambda does: no answer, no {@code batchItemFailures} or an empty list is complete success; a
 * response that is not JSON, or an item identifier that is missing, empty or not in the batch, is
 * complete failure.
 */
final class BatchFailures {

  private BatchFailures() {}

  /**
   * The failed item identifiers.
   *
   * @param response the function's JSON answer, or {@code null}
   * @param batch the identifiers in the batch
   * @return the failed ones; all of {@code batch} when the whole batch counts as failed
   */
  static Set<String> failed(String response, Set<String> batch) {
    if (response == null || response.isBlank()) {
      return Set.of();
    }
    JsonNode json = Json.readOrNull(response);
    if (json == null) {
      return batch;
    }
    JsonNode failures = json.isObject() ? json.get("batchItemFailures") : null;
    if (failures == null || failures.isNull()) {
      return Set.of();
    }
    if (!failures.isArray()) {
      return batch;
    }
    Set<String> failed = new LinkedHashSet<>();
    for (JsonNode failure : failures) {
      JsonNode id = failure.isObject() ? failure.get("itemIdentifier") : null;
      if (id == null || !id.isTextual() || !batch.contains(id.textValue())) {
        return batch;
      }
      failed.add(id.textValue());
    }
    return failed;
  }
}
