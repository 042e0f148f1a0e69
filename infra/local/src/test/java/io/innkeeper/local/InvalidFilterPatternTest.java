package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.emulators.AwsEndpoints;
import io.innkeeper.local.probe.StreamProbeHandler;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stream trigger whose filter pattern Lambda would refuse at CreateEventSourceMapping stops the
 * runtime's start with a message naming the trigger, before anything is started or provisioned.
 */
class InvalidFilterPatternTest {

  @Test
  void givenAWildcardFilter_whenTheRuntimeStarts_thenItRefusesBeforeProvisioningAnything() {
    var key = new KeyAttribute("pk", AttributeType.S);
    Topology topology =
        new Topology(
            List.of(
                new TableSpec(
                    "orders", Role.RECORD, key, null, StreamView.NEW_IMAGE, null, List.of())),
            List.of(),
            List.of(
                new FunctionSpec(
                    "orders-probe",
                    StreamProbeHandler.class.getName(),
                    256,
                    10,
                    Map.of(),
                    List.of(
                        new Trigger.StreamTrigger(
                            "orders",
                            10,
                            "TRIM_HORIZON",
                            "{\"eventName\": [{\"wildcard\": \"IN*\"}]}",
                            1,
                            false,
                            3600,
                            null)),
                    List.of())));
    // Nothing listens there: had the runtime provisioned first, it would fail on that instead.
    AwsEndpoints nowhere = AwsEndpoints.all(URI.create("http://127.0.0.1:9"));

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LocalRuntime.start(
                    new LocalOptions(topology, 0, null, false, nowhere, ChaosConfig.none())));

    assertEquals(
        "the stream trigger of orders-probe on table orders: invalid filter pattern"
            + " {\"eventName\": [{\"wildcard\": \"IN*\"}]}: wildcard is not in Lambda's filter rule"
            + " syntax",
        refused.getMessage());
  }
}
