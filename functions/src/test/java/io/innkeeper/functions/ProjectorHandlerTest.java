package io.innkeeper.functions;

import static io.innkeeper.core.Priming.ABSENT_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.innkeeper.core.domain.Tables;
import io.innkeeper.core.readmodel.RowKey;
import io.innkeeper.hotel.HotelDomain;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProjectorHandlerTest {
  private static final HotelDomain DOMAIN = new HotelDomain();
  private static final Tables TABLES = Tables.byId(DOMAIN.queryTables());

  private final CountingRowStore store = new CountingRowStore();
  private final ProjectorHandler handler =
      new ProjectorHandler(DOMAIN, store, TABLES, "watermarks");

  @Test
  void primingProjectsTheSamplesWithRealReadsAndCommitsNothing() {
    try (Stderr err = Stderr.capture()) {
      handler.priming().beforeCheckpoint(null);
      assertEquals("", err.text(), "both samples reached the commit");
    }

    // The v1 event was upcast: the city row's key is derived from the cityKey v2 added.
    assertTrue(
        store.got.contains(new RowKey("hotels", "city#zurich", ABSENT_ID)), store.got.toString());
    assertTrue(store.got.contains(new RowKey("watermarks", "hotel#" + ABSENT_ID, "projected")));
    assertTrue(
        store.got.contains(new RowKey("watermarks", "reservation#" + ABSENT_ID, "projected")));
    Set<String> tables = store.got.stream().map(RowKey::table).collect(Collectors.toSet());
    // Between them the samples reach every projection's table: a projection they miss is primed by
    // nothing, and its first real event pays for it.
    Set<String> every = new java.util.HashSet<>(DOMAIN.queryTables());
    every.add("watermarks");
    assertEquals(every, tables);
    assertFalse(store.consistency.contains(false), "the projector reads strongly consistently");
    assertEquals(0, store.commits);
    assertTrue(store.rows.snapshot().isEmpty());
  }

  @Test
  void aFailingStoreIsLoggedAndNothingIsThrown() {
    store.failReads = new IllegalStateException("ResourceNotFound: hotels");
    List<String> failed;
    try (Stderr err = Stderr.capture()) {
      failed = handler.priming().run();

      List<Map<String, Object>> warnings = err.primingWarnings();
      assertEquals(2, warnings.size(), err.text());
      assertEquals("projector", warnings.get(0).get("function"));
      assertEquals("IllegalStateException: ResourceNotFound: hotels", warnings.get(0).get("error"));
    }
    assertEquals(handler.priming().steps(), failed);
    assertEquals(0, store.commits);
  }

  @Test
  void afterPrimingARealBatchIsProjected() throws Exception {
    try (Stderr err = Stderr.capture()) {
      handler.priming().run();
    }
    DynamodbEvent batch;
    try (InputStream in = getClass().getResourceAsStream("/events/projector-batch.json")) {
      batch =
          LambdaEventSerializers.serializerFor(DynamodbEvent.class, getClass().getClassLoader())
              .fromJson(in);
    }

    assertTrue(handler.handleRequest(batch, null).getBatchItemFailures().isEmpty());
    assertTrue(store.rows.snapshot().keySet().stream().noneMatch(k -> k.pk().contains(ABSENT_ID)));
    assertTrue(store.commits > 0);
  }

  @Test
  void theLambdaConstructorBuildsWithoutTheNetwork() {
    try (LambdaEnvironment env = new LambdaEnvironment()) {
      assertEquals(2, new ProjectorHandler().priming().steps().size());
    }
  }
}
