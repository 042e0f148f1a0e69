package io.innkeeper.cdk;

import io.innkeeper.topology.FunctionSpec.Access;
import io.innkeeper.topology.FunctionSpec.TableLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * Turns a function's {@code access} list into IAM grants, and nothing more: a function gets no
 * permission the topology does not name (besides writing its own logs and what its triggers need to
 * deliver to it).
 */
final class AccessGrants {

  /**
   * Item reads. Unlike the CDK's {@code grantReadData} this leaves out the stream actions: only the
   * stream-triggered function gets those, through its event source.
   */
  static final List<String> TABLE_READ =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DescribeTable");

  /** Item writes; {@code TransactWriteItems} is authorized per item by these. */
  static final List<String> TABLE_WRITE =
      List.of(
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem");

  private AccessGrants() {}

  static void apply(
      IGrantable grantee,
      List<Access> access,
      Map<String, Table> tables,
      Map<String, Queue> queues,
      Map<String, Topic> topics) {
    for (Access entry : access) {
      if (entry instanceof Access.Table t) {
        table(tables, t.tableId()).grant(grantee, tableActions(t.level()).toArray(String[]::new));
      } else if (entry instanceof Access.Queue q) {
        Queue queue = queue(queues, q.queueId());
        switch (q.level()) {
          case SEND -> queue.grantSendMessages(grantee);
          case CONSUME -> queue.grantConsumeMessages(grantee);
        }
      } else if (entry instanceof Access.Topic t) {
        // sns:Publish on this topic only (it also authorizes PublishBatch).
        Topics.topic(topics, t.topicId()).grantPublish(grantee);
      }
    }
  }

  static List<String> tableActions(TableLevel level) {
    List<String> actions = new ArrayList<>();
    if (level == TableLevel.READ || level == TableLevel.READ_WRITE) {
      actions.addAll(TABLE_READ);
    }
    if (level == TableLevel.WRITE || level == TableLevel.READ_WRITE) {
      actions.addAll(TABLE_WRITE);
    }
    return actions;
  }

  static Table table(Map<String, Table> tables, String id) {
    Table table = tables.get(id);
    if (table == null) {
      throw new IllegalArgumentException("unknown table " + id);
    }
    return table;
  }

  static Queue queue(Map<String, Queue> queues, String id) {
    Queue queue = queues.get(id);
    if (queue == null) {
      throw new IllegalArgumentException("unknown queue " + id);
    }
    return queue;
  }
}
