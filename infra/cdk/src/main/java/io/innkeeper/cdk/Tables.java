package io.innkeeper.cdk;

import io.innkeeper.topology.TableSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/** DynamoDB tables from {@link TableSpec}s. */
final class Tables {

  private Tables() {}

  /** One table per spec, under a {@code Tables} construct, keyed by topology id in spec order. */
  static Map<String, Table> create(Construct scope, List<TableSpec> specs) {
    Construct group = new Construct(scope, "Tables");
    Map<String, Table> tables = new LinkedHashMap<>();
    for (TableSpec spec : specs) {
      tables.put(spec.id(), create(group, spec));
    }
    return tables;
  }

  /**
   * A table for {@code spec}. No physical name: CloudFormation picks one, so stacks can coexist and
   * replacements never collide; functions get it through their environment.
   */
  static Table create(Construct scope, TableSpec spec) {
    boolean record = spec.role() == TableSpec.Role.RECORD;
    var builder =
        Table.Builder.create(scope, Names.pascal(spec.id()))
            .partitionKey(attribute(spec.partitionKey()))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            // The events table is the system of record; everything else is rebuildable from it.
            .removalPolicy(record ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
            .deletionProtection(record)
            // The AWS managed key (aws/dynamodb) rather than the invisible AWS owned default: the
            // template says SSEEnabled and CloudTrail shows the key's use, with no key policy to
            // keep and no kms: grants (that key admits the account's principals via DynamoDB). A
            // customer managed key would only add key-level revocation, which nothing here needs.
            .encryption(TableEncryption.AWS_MANAGED);
    if (spec.sortKey() != null) {
      builder.sortKey(attribute(spec.sortKey()));
    }
    if (spec.stream() != TableSpec.StreamView.NONE) {
      builder.stream(StreamViewType.valueOf(spec.stream().name()));
    }
    if (spec.ttlAttribute() != null) {
      builder.timeToLiveAttribute(spec.ttlAttribute());
    }
    if (record) {
      builder.pointInTimeRecoverySpecification(
          PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build());
    }
    Table table = builder.build();
    if (!record) {
      Nag.acknowledge(table, "DDB3", withoutBackup(spec));
    }
    for (TableSpec.IndexSpec index : spec.globalIndexes()) {
      var gsi =
          GlobalSecondaryIndexProps.builder()
              .indexName(index.name())
              .partitionKey(attribute(index.partitionKey()))
              .projectionType(ProjectionType.ALL);
      if (index.sortKey() != null) {
        gsi.sortKey(attribute(index.sortKey()));
      }
      table.addGlobalSecondaryIndex(gsi.build());
    }
    return table;
  }

  /** Why a table other than the record needs no point-in-time recovery. */
  private static String withoutBackup(TableSpec spec) {
    return switch (spec.role()) {
      case QUERY ->
          "A read model, derived from the events table (which has point-in-time recovery): it is"
              + " rebuilt from the events (the local jar's `rebuild`), never restored.";
      case COMMAND_STATUS ->
          "Command status and idempotency records, kept for days by TTL: losing them loses"
              + " status look-ups and duplicate detection for retries in flight, not data. Every"
              + " applied command's effect is in the events table, which has point-in-time"
              + " recovery.";
      case SUBSCRIBER ->
          "A subscriber service's own table, fed from its queue on the event bus: rebuilt by"
              + " replaying the record (the events table, which has point-in-time recovery) to"
              + " that queue, never restored.";
      case RECORD -> throw new IllegalArgumentException("the record keeps its backups");
    };
  }

  private static Attribute attribute(TableSpec.KeyAttribute key) {
    AttributeType type =
        switch (key.type()) {
          case S -> AttributeType.STRING;
          case N -> AttributeType.NUMBER;
          case B -> AttributeType.BINARY;
        };
    return Attribute.builder().name(key.name()).type(type).build();
  }
}
