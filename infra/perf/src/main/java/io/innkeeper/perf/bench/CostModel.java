package io.innkeeper.perf.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dollars on AWS per million operations, from what one operation cost here: requests, DynamoDB
 * capacity units and handler time. On-demand list prices of us-east-1, as published by AWS ({@link
 * #PRICES_AS_OF}); the model says which price it used for what, so it can be redone with other
 * prices.
 */
final class CostModel {

  static final String PRICES_AS_OF =
      "us-east-1 on-demand list prices as published in 2025 (DynamoDB after its November 2024"
          + " reduction); not re-checked online from the benchmark machine";

  static final double API_PER_MILLION = 1.00; // HTTP API, first 300 million a month
  static final double LAMBDA_REQUEST_PER_MILLION = 0.20;
  static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;
  static final double SQS_FIFO_PER_MILLION = 0.50;
  static final double DYNAMODB_WRITE_UNIT_PER_MILLION = 0.625;
  static final double DYNAMODB_READ_UNIT_PER_MILLION = 0.125;

  /** What one operation used, averaged over the phase that measured it. */
  record PerOperation(
      double apiRequests,
      Map<String, Double> invocations,
      Map<String, Double> handlerMillis, // mean billed ms (each invocation rounded up to 1 ms)
      Map<String, Integer> memoryMb,
      double sqsRequests,
      double writeUnits,
      double readUnits) {}

  /** Dollars per million operations, by line, and the total. */
  static Map<String, Double> perMillion(PerOperation op) {
    Map<String, Double> lines = new LinkedHashMap<>();
    lines.put("API Gateway requests", op.apiRequests() * API_PER_MILLION);
    double invocations = 0;
    double gbSeconds = 0;
    for (var e : op.invocations().entrySet()) {
      invocations += e.getValue();
      double millis = op.handlerMillis().getOrDefault(e.getKey(), 0.0);
      int memory = op.memoryMb().getOrDefault(e.getKey(), 1024);
      double billed = e.getValue() * millis;
      gbSeconds += billed / 1000.0 * memory / 1024.0;
    }
    lines.put("Lambda requests", invocations * LAMBDA_REQUEST_PER_MILLION);
    // Per million operations: gbSeconds is per operation, times a million, times the price.
    lines.put("Lambda duration (arm64)", gbSeconds * 1_000_000 * LAMBDA_ARM_GB_SECOND);
    lines.put("SQS FIFO requests", op.sqsRequests() * SQS_FIFO_PER_MILLION);
    lines.put("DynamoDB write units", op.writeUnits() * DYNAMODB_WRITE_UNIT_PER_MILLION);
    lines.put("DynamoDB read units", op.readUnits() * DYNAMODB_READ_UNIT_PER_MILLION);
    double total = 0;
    for (double v : lines.values()) {
      total += v;
    }
    lines.put("total", total);
    return lines;
  }

  static boolean isRead(String operation) {
    return operation.endsWith(".GetItem")
        || operation.endsWith(".BatchGetItem")
        || operation.endsWith(".Query")
        || operation.endsWith(".Scan")
        || operation.endsWith(".TransactGetItems");
  }

  private CostModel() {}
}
