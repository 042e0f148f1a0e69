package io.innkeeper.functions;

import io.innkeeper.core.domain.Tables;
import io.innkeeper.hotel.HotelDomain;
import java.util.HashMap;
import java.util.Map;

/**
 * A function's configuration as the local runtime passes it (system properties), so the Lambda
 * constructors can run in a test. The endpoints point at a closed local port and the region and
 * credentials are given, so building the SDK clients never reaches for the network.
 */
final class LambdaEnvironment implements AutoCloseable {
  private static final Map<String, String> PROPERTIES =
      Map.ofEntries(
          Map.entry("aws.region", "eu-west-1"),
          Map.entry("aws.accessKeyId", "test"),
          Map.entry("aws.secretAccessKey", "test"),
          Map.entry("INNKEEPER_DYNAMODB_ENDPOINT", "http://127.0.0.1:9"),
          Map.entry("INNKEEPER_SQS_ENDPOINT", "http://127.0.0.1:9"),
          Map.entry("COMMANDS_TABLE", "commands"),
          Map.entry("EVENTS_TABLE", "events"),
          Map.entry("COMMAND_RETRY_DELAYS", "2,4,8,16"),
          Map.entry("COMMAND_QUEUE_URL", "http://127.0.0.1:9/000000000000/commands.fifo"),
          Map.entry("WATERMARKS_TABLE", "watermarks"),
          Map.entry("CURSOR_KEY", "lambda-environment-cursor-key-32b"));

  private final Map<String, String> previous = new HashMap<>();

  LambdaEnvironment() {
    Map<String, String> all = new HashMap<>(PROPERTIES);
    // The domain's query tables, each named like its id.
    new HotelDomain().queryTables().forEach(id -> all.put(Tables.environmentVariable(id), id));
    all.forEach(
        (name, value) -> {
          previous.put(name, System.getProperty(name));
          System.setProperty(name, value);
        });
  }

  @Override
  public void close() {
    previous.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
  }
}
