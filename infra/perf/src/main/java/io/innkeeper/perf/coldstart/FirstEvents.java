package io.innkeeper.perf.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import io.innkeeper.local.triggers.FilterPattern;
import io.innkeeper.local.triggers.SqsEventJson;
import io.innkeeper.local.triggers.StreamRecordJson;
import io.innkeeper.ops.LocalAws;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The first events the functions get, in the JSON Lambda hands a function: API Gateway HTTP API
 * (payload 2.0) requests with JWT claims, the SQS event of a message really on the command queue,
 * and the DynamoDB stream event of records really on the events table's stream, filtered as the
 * event source mapping filters them.
 */
final class FirstEvents {

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private FirstEvents() {}

  /** Who calls the API: the claims API Gateway's JWT authorizer passes on. */
  record Caller(String sub, List<String> groups) {
    Map<String, String> claims(Instant now) {
      Map<String, String> claims = new LinkedHashMap<>();
      claims.put("sub", sub);
      if (!groups.isEmpty()) {
        // API Gateway renders a list claim as "[a b]".
        claims.put("cognito:groups", "[" + String.join(" ", groups) + "]");
      }
      claims.put("iss", "http://127.0.0.1/innkeeper-local");
      claims.put("client_id", "innkeeper-local");
      claims.put("token_use", "access");
      claims.put("username", sub);
      claims.put("iat", Long.toString(now.getEpochSecond()));
      claims.put("exp", Long.toString(now.getEpochSecond() + 3600));
      return claims;
    }
  }

  /**
   * An HTTP API request event.
   *
   * @param routeKey e.g. {@code POST /reservations}
   * @param rawPath the path as sent
   * @param pathParameters the route's parameters
   * @param body a JSON body, or {@code null}
   * @param caller the authenticated caller, or {@code null} for a public route
   */
  static String http(
      String routeKey,
      String rawPath,
      Map<String, String> pathParameters,
      String body,
      Caller caller,
      Instant now) {
    String method = routeKey.split(" ", 2)[0];
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", rawPath);
    event.put("rawQueryString", "");
    ObjectNode headers = event.putObject("headers");
    headers.put("accept", "application/json");
    if (body != null) {
      headers.put("content-length", Integer.toString(body.getBytes().length));
      headers.put("content-type", "application/json");
    }
    headers.put("host", "coldstart.execute-api.us-east-1.amazonaws.com");
    headers.put("user-agent", "innkeeper-coldstart");
    headers.put("x-forwarded-for", "127.0.0.1");
    headers.put("x-forwarded-port", "443");
    headers.put("x-forwarded-proto", "https");
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", LocalAws.ACCOUNT_ID);
    context.put("apiId", "coldstart");
    if (caller != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      ObjectNode claims = jwt.putObject("claims");
      caller.claims(now).forEach(claims::put);
      jwt.putNull("scopes");
    }
    context.put("domainName", "coldstart.execute-api.us-east-1.amazonaws.com");
    context.put("domainPrefix", "coldstart");
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", rawPath);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    http.put("userAgent", "innkeeper-coldstart");
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());
    if (body != null) {
      event.put("body", body);
    }
    if (!pathParameters.isEmpty()) {
      ObjectNode parameters = event.putObject("pathParameters");
      pathParameters.forEach(parameters::put);
    }
    event.put("isBase64Encoded", false);
    return event.toString();
  }

  /**
   * Receives what is on a queue as Lambda's SQS poller does (every system and message attribute)
   * and wraps it as the poller would hand it to the function.
   *
   * @return the event, and the messages (to delete once the function has succeeded)
   */
  static Received sqs(SqsClient sqs, String queueUrl, String queueArn, int batchSize) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Message> messages = new ArrayList<>();
    while (messages.isEmpty() && System.nanoTime() < deadline) {
      messages =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .maxNumberOfMessages(batchSize)
                          .waitTimeSeconds(1)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages();
    }
    if (messages.isEmpty()) {
      throw new IllegalStateException("nothing arrived on " + queueUrl + " within 10 s");
    }
    return new Received(SqsEventJson.event(messages, queueArn), messages);
  }

  /** An SQS event and the messages in it. */
  record Received(String event, List<Message> messages) {}

  /** Positions at the end of a stream: what is written after this is what {@link #read} finds. */
  record StreamPosition(String streamArn, Map<String, String> iterators) {}

  /** Iterators just past the last record of every open shard of the stream. */
  static StreamPosition latest(DynamoDbStreamsClient streams, String streamArn) {
    Map<String, String> iterators = new LinkedHashMap<>();
    for (Shard shard : openShards(streams, streamArn)) {
      iterators.put(
          shard.shardId(),
          streams
              .getShardIterator(
                  r ->
                      r.streamArn(streamArn)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.LATEST))
              .shardIterator());
    }
    return new StreamPosition(streamArn, iterators);
  }

  /**
   * The records written since {@code position}, in Lambda's form, that pass the trigger's filter,
   * wrapped as one DynamoDB stream event. Waits briefly for the first record.
   */
  static String read(DynamoDbStreamsClient streams, StreamPosition position, String filter) {
    return read(streams, position, List.of(filter)).get(0);
  }

  /**
   * As {@link #read(DynamoDbStreamsClient, StreamPosition, String)} for several readers of the
   * stream at once: the same records, each reader's event filtered as its own event source mapping
   * filters them, in the order of {@code filters}. Two mappings on one stream each get every
   * record, so the records are read once and filtered for each.
   *
   * @throws IllegalStateException if nothing was written, or no record passes one of the filters
   */
  static List<String> read(
      DynamoDbStreamsClient streams, StreamPosition position, List<String> filters) {
    List<ObjectNode> written = new ArrayList<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    Map<String, String> iterators = new LinkedHashMap<>(position.iterators());
    while (written.isEmpty() && System.nanoTime() < deadline) {
      for (Map.Entry<String, String> shard : iterators.entrySet()) {
        if (shard.getValue() == null) {
          continue;
        }
        var response = streams.getRecords(r -> r.shardIterator(shard.getValue()).limit(1000));
        shard.setValue(response.nextShardIterator());
        for (Record record : response.records()) {
          written.add(StreamRecordJson.record(record, position.streamArn()));
        }
      }
      if (written.isEmpty()) {
        sleep(50);
      }
    }
    if (written.isEmpty()) {
      throw new IllegalStateException(
          "nothing was written on " + position.streamArn() + " within 10 s");
    }
    List<String> events = new ArrayList<>();
    for (String filter : filters) {
      FilterPattern pattern = FilterPattern.parse(filter);
      List<ObjectNode> passed = written.stream().filter(pattern::matches).toList();
      if (passed.isEmpty()) {
        throw new IllegalStateException(
            "no record written on " + position.streamArn() + " passes the filter " + filter);
      }
      events.add(StreamRecordJson.event(passed));
    }
    return events;
  }

  private static List<Shard> openShards(DynamoDbStreamsClient streams, String streamArn) {
    List<Shard> open = new ArrayList<>();
    String start = null;
    do {
      String exclusiveStart = start;
      var description =
          streams
              .describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
              .streamDescription();
      for (Shard shard : description.shards()) {
        if (shard.sequenceNumberRange() == null
            || shard.sequenceNumberRange().endingSequenceNumber() == null) {
          open.add(shard);
        }
      }
      start = description.lastEvaluatedShardId();
    } while (start != null);
    if (open.isEmpty()) {
      throw new IllegalStateException("the stream " + streamArn + " has no open shard");
    }
    return open;
  }

  /** The number of records in a Lambda event ({@code Records}). */
  static int records(String event) {
    try {
      JsonNode records = JSON.readTree(event).get("Records");
      return records instanceof ArrayNode array ? array.size() : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
