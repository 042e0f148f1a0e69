package io.innkeeper.local.sns;

import io.innkeeper.core.obs.Log;
import io.innkeeper.local.LocalRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * SNS's API in the AWS Query protocol, over a {@link LocalSns}: turns a request (form parameters)
 * into a bus call and the outcome into SNS's XML answer or error. Transport-free, so it is tested
 * without a socket; {@link SnsServer} puts it on HTTP.
 *
 * <p>The AWS SDK for Java 2.x (2.59) and the AWS CLI (2.9) both speak AWS Query to SNS (SNS's API
 * model declares {@code query}; it has no JSON protocol as SQS does). A JSON request is answered
 * with an error that says so.
 */
final class SnsApi {

  /** An HTTP answer. */
  record Response(int status, String contentType, byte[] body, String requestId) {}

  private static final Log.Named LOG = Log.named(LocalRuntime.LOG_FUNCTION, "sns");
  private static final String XML = "text/xml";

  private final LocalSns bus;

  SnsApi(LocalSns bus) {
    this.bus = bus;
  }

  /**
   * Answers one HTTP request.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param query the raw query string, or {@code null}
   * @param contentType the request's content type, or {@code null}
   * @param body the request body
   */
  Response handle(String method, String path, String query, String contentType, byte[] body) {
    String requestId = UUID.randomUUID().toString();
    if (method.equals("GET") && path.equals(Envelope.CERT_PATH)) {
      return new Response(
          200,
          "application/x-pem-file",
          bus.publicKeyPem().getBytes(StandardCharsets.US_ASCII),
          requestId);
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/x-amz-json")) {
      String json =
          "{\"__type\":\"UnknownOperationException\",\"message\":\"The local SNS endpoint speaks"
              + " the AWS Query protocol (form-encoded requests), which the AWS SDKs and CLI use"
              + " for SNS; it does not serve the JSON protocol.\"}";
      return new Response(400, type, json.getBytes(StandardCharsets.UTF_8), requestId);
    }
    if (!path.equals("/") && !path.isEmpty()) {
      return error(
          new SnsException(
              "InvalidAction", 404, true, "There is no " + path + " on this endpoint."),
          requestId);
    }
    if (!method.equals("POST") && !method.equals("GET")) {
      return error(
          new SnsException("InvalidAction", 405, true, "Use POST (or GET) for SNS actions."),
          requestId);
    }
    try {
      QueryRequest request = QueryRequest.parse(query);
      if (method.equals("POST")) {
        request = request.with(QueryRequest.parse(new String(body, StandardCharsets.UTF_8)));
      }
      String action = request.get("Action");
      if (action == null) {
        throw new SnsException("MissingAction", 400, true, "The request has no Action.");
      }
      byte[] xml = dispatch(action, request, requestId);
      return new Response(200, XML, xml, requestId);
    } catch (SnsException e) {
      return error(e, requestId);
    } catch (RuntimeException e) {
      LOG.error("the local SNS endpoint failed on a request", e);
      return error(SnsException.internalError("The local SNS endpoint failed: " + e), requestId);
    }
  }

  private static Response error(SnsException e, String requestId) {
    return new Response(e.status(), XML, QueryXml.error(e, requestId), requestId);
  }

  private byte[] dispatch(String action, QueryRequest r, String requestId) {
    return switch (action) {
      case "CreateTopic" -> {
        var topic = bus.createTopic(r.required("Name"), r.map("Attributes"));
        yield QueryXml.result(action, requestId, x -> x.element("TopicArn", topic.arn()));
      }
      case "DeleteTopic" -> {
        bus.deleteTopic(r.required("TopicArn"));
        yield QueryXml.result(action, requestId, null);
      }
      case "ListTopics" -> {
        Page<LocalSns.TopicInfo> page =
            page(bus.topics(), r.get("NextToken"), LocalSns.TopicInfo::arn);
        yield QueryXml.result(
            action,
            requestId,
            x -> {
              x.start("Topics");
              page.items.forEach(t -> x.start("member").element("TopicArn", t.arn()).end());
              x.end();
              x.element("NextToken", page.nextToken);
            });
      }
      case "GetTopicAttributes" -> {
        var topic = bus.topic(r.required("TopicArn"));
        yield QueryXml.result(action, requestId, x -> x.map("Attributes", topic.attributes()));
      }
      case "SetTopicAttributes" -> {
        bus.setTopicAttribute(
            r.required("TopicArn"), r.required("AttributeName"), r.get("AttributeValue"));
        yield QueryXml.result(action, requestId, null);
      }
      case "Subscribe" -> {
        String arn =
            bus.subscribe(
                r.required("TopicArn"),
                r.required("Protocol"),
                r.get("Endpoint"),
                r.map("Attributes"));
        yield QueryXml.result(action, requestId, x -> x.element("SubscriptionArn", arn));
      }
      case "Unsubscribe" -> {
        bus.unsubscribe(r.required("SubscriptionArn"));
        yield QueryXml.result(action, requestId, null);
      }
      case "ListSubscriptions", "ListSubscriptionsByTopic" -> {
        String topicArn = action.equals("ListSubscriptions") ? null : r.required("TopicArn");
        Page<LocalSns.SubscriptionInfo> page =
            page(
                bus.listSubscriptions(topicArn),
                r.get("NextToken"),
                LocalSns.SubscriptionInfo::arn);
        yield QueryXml.result(
            action,
            requestId,
            x -> {
              x.start("Subscriptions");
              page.items.forEach(
                  s ->
                      x.start("member")
                          .element("SubscriptionArn", s.arn())
                          .element("Owner", s.attributes().get("Owner"))
                          .element("Protocol", s.protocol())
                          .element("Endpoint", s.endpoint())
                          .element("TopicArn", s.topicArn())
                          .end());
              x.end();
              x.element("NextToken", page.nextToken);
            });
      }
      case "GetSubscriptionAttributes" -> {
        var sub = bus.subscription(r.required("SubscriptionArn"));
        yield QueryXml.result(action, requestId, x -> x.map("Attributes", sub.attributes()));
      }
      case "SetSubscriptionAttributes" -> {
        bus.setSubscriptionAttribute(
            r.required("SubscriptionArn"), r.required("AttributeName"), r.get("AttributeValue"));
        yield QueryXml.result(action, requestId, null);
      }
      case "Publish" -> {
        if (r.has("PhoneNumber")) {
          throw SnsException.invalidParameter(
              "Invalid parameter: PhoneNumber Reason: the local event bus does not send SMS");
        }
        String topicArn = r.get("TopicArn") != null ? r.get("TopicArn") : r.get("TargetArn");
        PublishResult result = bus.publish(topicArn, publication(r));
        yield QueryXml.result(
            action,
            requestId,
            x ->
                x.element("MessageId", result.messageId())
                    .element("SequenceNumber", result.sequenceNumber()));
      }
      case "PublishBatch" -> {
        List<PublishResult.BatchEntry> entries = new ArrayList<>();
        for (QueryRequest member : r.members("PublishBatchRequestEntries")) {
          entries.add(new PublishResult.BatchEntry(member.get("Id"), publication(member)));
        }
        PublishResult.Batch batch = bus.publishBatch(r.required("TopicArn"), entries);
        yield QueryXml.result(
            action,
            requestId,
            x -> {
              x.start("Successful");
              batch
                  .successful()
                  .forEach(
                      s ->
                          x.start("member")
                              .element("Id", s.id())
                              .element("MessageId", s.messageId())
                              .element("SequenceNumber", s.sequenceNumber())
                              .end());
              x.end();
              x.start("Failed");
              batch
                  .failed()
                  .forEach(
                      f ->
                          x.start("member")
                              .element("Id", f.id())
                              .element("Code", f.code())
                              .element("Message", f.message())
                              .element("SenderFault", Boolean.toString(f.senderFault()))
                              .end());
              x.end();
            });
      }
      default ->
          throw new SnsException(
              "InvalidAction",
              400,
              true,
              "The action "
                  + action
                  + " is not valid for this endpoint: the local event bus serves CreateTopic,"
                  + " DeleteTopic, ListTopics, Get/SetTopicAttributes, Subscribe, Unsubscribe,"
                  + " ListSubscriptions, ListSubscriptionsByTopic, Get/SetSubscriptionAttributes,"
                  + " Publish and PublishBatch.");
    };
  }

  private static Publication publication(QueryRequest r) {
    return new Publication(
        r.get("Message"),
        r.get("Subject"),
        r.get("MessageStructure"),
        r.messageAttributes("MessageAttributes"),
        r.get("MessageGroupId"),
        r.get("MessageDeduplicationId"));
  }

  private record Page<T>(List<T> items, String nextToken) {}

  /**
   * One page of {@link LocalSns#PAGE_SIZE} from {@code all}. The token names the first item of the
   * next page (opaque to clients, as SNS's are).
   */
  private static <T> Page<T> page(List<T> all, String token, Function<T, String> key) {
    int start = 0;
    if (token != null && !token.isEmpty()) {
      String first;
      try {
        first = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw SnsException.invalidParameter("Invalid parameter: NextToken");
      }
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (key.apply(all.get(i)).equals(first)) {
          start = i;
          break;
        }
      }
      if (start < 0) {
        throw SnsException.invalidParameter("Invalid parameter: NextToken");
      }
    }
    int end = Math.min(all.size(), start + LocalSns.PAGE_SIZE);
    String next =
        end < all.size()
            ? Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(key.apply(all.get(end)).getBytes(StandardCharsets.UTF_8))
            : null;
    return new Page<>(all.subList(start, end), next);
  }
}
