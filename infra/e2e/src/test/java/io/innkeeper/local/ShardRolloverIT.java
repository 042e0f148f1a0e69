package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.innkeeper.local.chaos.ChaosConfig;
import io.innkeeper.local.chaos.Fault;
import io.innkeeper.local.probe.Probes;
import io.innkeeper.local.probe.StreamProbeHandler;
import io.innkeeper.ops.LocalAws;
import io.innkeeper.topology.FunctionSpec;
import io.innkeeper.topology.TableSpec;
import io.innkeeper.topology.TableSpec.AttributeType;
import io.innkeeper.topology.TableSpec.KeyAttribute;
import io.innkeeper.topology.TableSpec.Role;
import io.innkeeper.topology.TableSpec.StreamView;
import io.innkeeper.topology.Topology;
import io.innkeeper.topology.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Shard rollover, as DynamoDB Streams does it every few hours and the chaos does it after batches:
 * DynamoDB Local closes the open shard and a child shard takes the new records. Lambda reads a
 * parent shard to its end before its child, so the records of one item arrive in the order they
 * were written, across shards; the stream poller must do the same.
 */
class ShardRolloverIT {
  private static final int KEYS = 5;
  private static final int VERSIONS = 40;

  static Topology topology() {
    var pk = new KeyAttribute("pk", AttributeType.S);
    var sk = new KeyAttribute("sk", AttributeType.N);
    return new Topology(
        List.of(
            new TableSpec("ledger", Role.RECORD, pk, sk, StreamView.NEW_IMAGE, null, List.of())),
        List.of(),
        List.of(
            new FunctionSpec(
                "ledger-probe",
                StreamProbeHandler.class.getName(),
                256,
                10,
                Map.of(),
                List.of(
                    new Trigger.StreamTrigger(
                        "ledger", 5, "TRIM_HORIZON", null, 2, false, 3600, null)),
                List.of())));
  }

  @Test
  void the_records_of_each_item_arrive_in_order_across_many_rollovers() throws Exception {
    try (LocalRuntime runtime =
            LocalRuntime.start(
                new LocalOptions(topology(), 0, null, false)
                    .withChaos(ChaosConfig.parse("seed=5,shard-rollover=0.5")));
        DynamoDbClient ddb = LocalAws.dynamoDb(runtime.dynamoDbEndpoint());
        DynamoDbStreamsClient streams = LocalAws.dynamoDbStreams(runtime.dynamoDbEndpoint())) {
      String table = runtime.tableName("ledger");
      // Written in waves, so rollovers fall between the writes of one item.
      for (int v = 1; v <= VERSIONS; v++) {
        for (int k = 0; k < KEYS; k++) {
          int version = v;
          int key = k;
          ddb.putItem(
              b ->
                  b.tableName(table)
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS("ledger-" + key),
                              "sk", AttributeValue.fromN(Integer.toString(version)))));
        }
        if (v % 4 == 0) {
          Thread.sleep(100);
        }
      }

      Map<String, List<Integer>> seen = awaitAll();

      for (int k = 0; k < KEYS; k++) {
        List<Integer> expected = new ArrayList<>();
        for (int v = 1; v <= VERSIONS; v++) {
          expected.add(v);
        }
        assertEquals(expected, seen.get("ledger-" + k), "item ledger-" + k + " in write order");
      }
      long rollovers = runtime.chaos().injected().get(Fault.SHARD_ROLLOVER);
      String arn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
      int shards =
          streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().size();
      assertTrue(rollovers >= 3, "rollovers: " + rollovers);
      assertTrue(
          shards >= 4, "the stream has " + shards + " shards after " + rollovers + " rollovers");
    }
  }

  /** Every delivered record of the probe, in delivery order, per item; waits for all of them. */
  private static Map<String, List<Integer>> awaitAll() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      Map<String, List<Integer>> seen = new LinkedHashMap<>();
      int total = 0;
      for (Probes.StreamCall call : Probes.STREAM) {
        if (!call.function().endsWith("ledger-probe")) {
          continue;
        }
        for (String id : call.ids()) {
          String[] parts = id.split("/");
          seen.computeIfAbsent(parts[0], p -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
          total++;
        }
      }
      if (total >= KEYS * VERSIONS) {
        return seen;
      }
      if (System.nanoTime() > deadline) {
        fail("only " + total + " of " + KEYS * VERSIONS + " records arrived: " + seen);
      }
      Thread.sleep(50);
    }
  }
}
