package io.innkeeper.topology;

/** Local physical names of topology resources; on AWS CloudFormation chooses them instead. */
public final class PhysicalNames {

  private static final String PREFIX = "innkeeper-";

  private PhysicalNames() {}

  public static String table(String tableId) {
    return PREFIX + tableId;
  }

  public static String queue(QueueSpec queue) {
    return PREFIX + queue.id() + (queue.fifo() ? ".fifo" : "");
  }

  public static String topic(io.innkeeper.topology.TopicSpec topic) {
    return PREFIX + topic.id() + (topic.fifo() ? ".fifo" : "");
  }

  public static String function(String functionId) {
    return PREFIX + functionId;
  }
}
