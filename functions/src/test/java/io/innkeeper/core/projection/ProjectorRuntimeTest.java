package io.innkeeper.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.innkeeper.core.eventstore.StoredEvent;
import io.innkeeper.events.DomainEvent;
import io.innkeeper.events.hotel.HotelEvent.HotelRegistered;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectorRuntimeTest {

  private static DynamodbEvent fixture() throws Exception {
    try (InputStream in =
        ProjectorRuntimeTest.class.getResourceAsStream("/events/projector-batch.json")) {
      return LambdaEventSerializers.serializerFor(
              DynamodbEvent.class, ProjectorRuntimeTest.class.getClassLoader())
          .fromJson(in);
    }
  }

  /** Records what it is given; fails on one stream if told to. */
  private static final class Recording implements Projection {
    final List<String> applied = new ArrayList<>();
    final String failOn;

    Recording(String failOn) {
      this.failOn = failOn;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void apply(StoredEvent source, DomainEvent event) {
      if (source.streamId().equals(failOn)) {
        throw new IllegalStateException("cannot apply");
      }
      applied.add(
          source.streamId() + "@" + source.version() + " " + ((HotelRegistered) event).hotelId());
    }
  }

  @Test
  void every_event_record_reaches_every_projection_in_order_and_other_items_are_skipped()
      throws Exception {
    var a = new Recording(null);
    var b = new Recording(null);

    var response = new ProjectorRuntime(List.of(a, b)).handle(fixture());

    assertTrue(response.getBatchItemFailures().isEmpty());
    assertEquals(List.of("hotel#h1@1 h1", "hotel#h2@1 h2"), a.applied);
    assertEquals(a.applied, b.applied);
  }

  @Test
  void a_failing_record_is_reported_by_sequence_number_and_nothing_after_it_is_applied()
      throws Exception {
    var p = new Recording("hotel#h1");

    var response = new ProjectorRuntime(List.of(p)).handle(fixture());

    assertEquals(1, response.getBatchItemFailures().size());
    assertEquals("100", response.getBatchItemFailures().get(0).getItemIdentifier());
    assertTrue(p.applied.isEmpty());
  }
}
