package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.innkeeper.topology.TableSpec;
import org.junit.jupiter.api.Test;

class TablesTest {

  private final Synth synth = Synth.innkeeper();

  @Test
  void everyTopologyTableIsDeployedAsSpecified() {
    var topology = synth.stack.topology();
    assertEquals(topology.tables().size(), synth.resources("AWS::DynamoDB::Table").size());
    for (TableSpec spec : topology.tables()) {
      JsonNode props = synth.properties(synth.stack.tables().get(spec.id()));
      String what = spec.id() + ": ";
      assertEquals("PAY_PER_REQUEST", props.path("BillingMode").asText(), what + "on demand");
      JsonNode keys = props.path("KeySchema");
      assertEquals(spec.partitionKey().name(), keys.get(0).path("AttributeName").asText(), what);
      assertEquals("HASH", keys.get(0).path("KeyType").asText(), what);
      assertEquals(type(props, spec.partitionKey().name()), spec.partitionKey().type().name());
      if (spec.sortKey() == null) {
        assertEquals(1, keys.size(), what + "no sort key");
      } else {
        assertEquals(spec.sortKey().name(), keys.get(1).path("AttributeName").asText(), what);
        assertEquals("RANGE", keys.get(1).path("KeyType").asText(), what);
        assertEquals(type(props, spec.sortKey().name()), spec.sortKey().type().name(), what);
      }
      if (spec.stream() == TableSpec.StreamView.NONE) {
        assertFalse(props.has("StreamSpecification"), what + "no stream");
      } else {
        assertEquals(
            spec.stream().name(),
            props.path("StreamSpecification").path("StreamViewType").asText(),
            what + "stream");
      }
      if (spec.ttlAttribute() == null) {
        assertFalse(props.has("TimeToLiveSpecification"), what + "no TTL");
      } else {
        assertEquals(
            spec.ttlAttribute(),
            props.path("TimeToLiveSpecification").path("AttributeName").asText(),
            what + "TTL attribute");
        assertTrue(props.path("TimeToLiveSpecification").path("Enabled").asBoolean(), what);
      }
      assertEquals(spec.globalIndexes().size(), props.path("GlobalSecondaryIndexes").size(), what);
      assertFalse(props.has("TableName"), what + "no hard-coded table name");
    }
  }

  @Test
  void theRecordIsKeptForeverAndRecoverableTheRestIsDisposable() {
    for (TableSpec spec : synth.stack.topology().tables()) {
      JsonNode resource = synth.resource(synth.logicalId(synth.stack.tables().get(spec.id())));
      JsonNode pitr = resource.path("Properties").path("PointInTimeRecoverySpecification");
      if (spec.role() == TableSpec.Role.RECORD) {
        assertTrue(pitr.path("PointInTimeRecoveryEnabled").asBoolean(), spec.id() + " PITR");
        assertEquals("Retain", resource.path("DeletionPolicy").asText(), spec.id());
        assertEquals("Retain", resource.path("UpdateReplacePolicy").asText(), spec.id());
        assertTrue(resource.path("Properties").path("DeletionProtectionEnabled").asBoolean());
      } else {
        assertFalse(pitr.path("PointInTimeRecoveryEnabled").asBoolean(), spec.id() + " PITR");
        assertEquals("Delete", resource.path("DeletionPolicy").asText(), spec.id());
      }
    }
    assertTrue(
        synth.stack.topology().tables().stream().anyMatch(t -> t.role() == TableSpec.Role.RECORD),
        "the topology has a record table");
  }

  @Test
  void everyTableIsEncryptedAtRestWithTheAwsManagedKey() {
    for (TableSpec spec : synth.stack.topology().tables()) {
      JsonNode sse = synth.properties(synth.stack.tables().get(spec.id())).path("SSESpecification");
      assertTrue(sse.path("SSEEnabled").asBoolean(), spec.id() + ": SSE with a KMS key");
      // No KMSMasterKeyId: the aws/dynamodb key, which needs no grants in the functions' roles.
      assertFalse(sse.has("KMSMasterKeyId"), spec.id() + ": the AWS managed key");
    }
  }

  private static String type(JsonNode props, String attribute) {
    for (JsonNode definition : props.path("AttributeDefinitions")) {
      if (attribute.equals(definition.path("AttributeName").asText())) {
        return definition.path("AttributeType").asText();
      }
    }
    throw new AssertionError("attribute " + attribute + " not defined");
  }
}
