package io.innkeeper.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.innkeeper.client.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/**
 * SNS's JSON notification envelope, what a subscription without raw delivery receives: {@code
 * Type}, {@code MessageId}, {@code SequenceNumber} (FIFO topics), {@code TopicArn}, {@code Subject}
 * (when given), {@code Message}, {@code Timestamp}, the signature fields, {@code UnsubscribeURL}
 * and {@code MessageAttributes} (when there are any), in the order SNS writes them.
 *
 * <p>The signature is real: {@code SHA1withRSA} (signature version 1) or {@code SHA256withRSA}
 * (version 2) over SNS's canonical string of the notification, made with the JVM's one signing key
 * pair. {@code SigningCertURL} points at the local endpoint, which serves the public key (a PEM
 * public key, not a certificate chained to Amazon's CA: code that checks the certificate's issuer
 * or host has to skip that check locally).
 */
final class Envelope {

  static final String CERT_PATH = "/SimpleNotificationService-local.pem";

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String endpoint;

  /**
   * @param endpoint the local SNS endpoint's base URL, without a trailing slash
   */
  Envelope(String endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * One message's notification, signed once: what every enveloped subscription gets, apart from its
   * own {@code UnsubscribeURL} (which the signature does not cover).
   */
  final class Notification {
    private final ObjectNode head = JsonNodeFactory.instance.objectNode();
    private final ObjectNode attributes;

    private Notification(
        String messageId,
        String sequenceNumber,
        String topicArn,
        String subject,
        String message,
        Instant timestamp,
        Map<String, MessageAttribute> messageAttributes,
        String signatureVersion) {
      String time = TIMESTAMP.format(timestamp);
      head.put("Type", "Notification");
      head.put("MessageId", messageId);
      if (sequenceNumber != null) {
        head.put("SequenceNumber", sequenceNumber);
      }
      head.put("TopicArn", topicArn);
      if (subject != null) {
        head.put("Subject", subject);
      }
      head.put("Message", message);
      head.put("Timestamp", time);
      head.put("SignatureVersion", signatureVersion);
      head.put(
          "Signature",
          sign(canonical(messageId, topicArn, subject, message, time), signatureVersion));
      head.put("SigningCertURL", endpoint + CERT_PATH);
      attributes = JsonNodeFactory.instance.objectNode();
      messageAttributes.forEach(
          (name, value) ->
              attributes
                  .putObject(name)
                  .put("Type", value.dataType())
                  .put("Value", value.printable()));
    }

    /** The SQS message body for the subscription {@code subscriptionArn}. */
    String body(String subscriptionArn) {
      ObjectNode json = head.deepCopy();
      json.put(
          "UnsubscribeURL", endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn);
      if (!attributes.isEmpty()) {
        json.set("MessageAttributes", attributes);
      }
      try {
        return JSON.writeValueAsString(json);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Prepares (and signs) the notification of one message. */
  Notification prepare(
      String messageId,
      String sequenceNumber,
      String topicArn,
      String subject,
      String message,
      Instant timestamp,
      Map<String, MessageAttribute> attributes,
      String signatureVersion) {
    return new Notification(
        messageId,
        sequenceNumber,
        topicArn,
        subject,
        message,
        timestamp,
        attributes,
        signatureVersion);
  }

  /** One notification, as SNS writes it into an SQS message body. */
  String notification(
      String messageId,
      String sequenceNumber,
      String topicArn,
      String subject,
      String message,
      Instant timestamp,
      String subscriptionArn,
      Map<String, MessageAttribute> attributes,
      String signatureVersion) {
    return prepare(
            messageId,
            sequenceNumber,
            topicArn,
            subject,
            message,
            timestamp,
            attributes,
            signatureVersion)
        .body(subscriptionArn);
  }

  /** The string SNS signs for a notification: each present field's name and value, by name. */
  static String canonical(
      String messageId, String topicArn, String subject, String message, String timestamp) {
    StringBuilder b = new StringBuilder();
    b.append("Message\n").append(message).append('\n');
    b.append("MessageId\n").append(messageId).append('\n');
    if (subject != null) {
      b.append("Subject\n").append(subject).append('\n');
    }
    b.append("Timestamp\n").append(timestamp).append('\n');
    b.append("TopicArn\n").append(topicArn).append('\n');
    b.append("Type\nNotification\n");
    return b.toString();
  }

  /** The public half of the signing key, PEM-encoded, for {@code SigningCertURL}. */
  String publicKeyPem() {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys().getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
  }

  private String sign(String canonical, String version) {
    try {
      Signature signature =
          Signature.getInstance("2".equals(version) ? "SHA256withRSA" : "SHA1withRSA");
      signature.initSign(keys().getPrivate());
      signature.update(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a notification", e);
    }
  }

  private static KeyPair keys() {
    return SigningKeys.PAIR;
  }

  /**
   * One key pair per JVM, made on first use (once, whatever the threads: the class initialisation
   * lock sees to it): generating an RSA-2048 key costs about a CPU-second on the test JVMs, which
   * start several runtimes each. It is also closer to AWS than a key per runtime: SNS signs with
   * one certificate per region, shared by every topic.
   */
  private static final class SigningKeys {
    static final KeyPair PAIR = generate();

    private static KeyPair generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no RSA on this JVM", e);
      }
    }
  }
}
