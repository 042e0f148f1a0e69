package io.innkeeper.local.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchFailuresTest {

  private static final Set<String> BATCH = Set.of("a", "b", "c");

  @Test
  void noAnswerOrNoFailuresIsSuccess() {
    assertEquals(Set.of(), BatchFailures.failed(null, BATCH));
    assertEquals(Set.of(), BatchFailures.failed("null", BATCH));
    assertEquals(Set.of(), BatchFailures.failed("{}", BATCH));
    assertEquals(Set.of(), BatchFailures.failed("{\"batchItemFailures\":[]}", BATCH));
    assertEquals(Set.of(), BatchFailures.failed("{\"batchItemFailures\":null}", BATCH));
    assertEquals(Set.of(), BatchFailures.failed("\"done\"", BATCH));
  }

  @Test
  void listedItemsFail() {
    assertEquals(
        Set.of("b", "c"),
        BatchFailures.failed(
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"c\"},{\"itemIdentifier\":\"b\"}]}",
            BATCH));
  }

  @Test
  void invalidAnswersFailTheWholeBatch() {
    assertEquals(BATCH, BatchFailures.failed("{not json", BATCH));
    assertEquals(
        BATCH, BatchFailures.failed("{\"batchItemFailures\":[{\"itemIdentifier\":\"z\"}]}", BATCH));
    assertEquals(
        BATCH, BatchFailures.failed("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", BATCH));
    assertEquals(BATCH, BatchFailures.failed("{\"batchItemFailures\":[{\"id\":\"a\"}]}", BATCH));
    assertEquals(
        BATCH, BatchFailures.failed("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}", BATCH));
    assertEquals(BATCH, BatchFailures.failed("{\"batchItemFailures\":\"a\"}", BATCH));
  }
}
