package io.innkeeper.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SNS's notification envelope, field by field, and its signature. */
class EnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:events.fifo";
  private static final String SUBSCRIPTION = TOPIC + ":7a1e9e5c-2c4f-4b8e-9d0a-0d7a6f1f2b3c";

  private final Envelope envelope = new Envelope("http://127.0.0.1:4575");

  @Test
  void givenAFifoMessageWithAttributes_whenWrapped_thenEveryFieldIsThereInSnsOrder()
      throws Exception {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    attributes.put("type", MessageAttribute.string("ReservationPlaced"));
    attributes.put("blob", MessageAttribute.binary(new byte[] {1, 2, 3}));

    JsonNode n =
        JSON.readTree(
            envelope.notification(
                "m-1",
                "10000000000000000001",
                TOPIC,
                null,
                "{\"id\":1}",
                Instant.parse("2026-12-07T10:15:30.123456Z"),
                SUBSCRIPTION,
                attributes,
                "1"));

    List<String> fields = new ArrayList<>();
    n.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "Type",
            "MessageId",
            "SequenceNumber",
            "TopicArn",
            "Message",
            "Timestamp",
            "SignatureVersion",
            "Signature",
            "SigningCertURL",
            "UnsubscribeURL",
            "MessageAttributes"),
        fields);
    assertEquals("Notification", n.get("Type").asText());
    assertEquals("10000000000000000001", n.get("SequenceNumber").asText());
    assertEquals("{\"id\":1}", n.get("Message").asText());
    assertEquals("2026-12-07T10:15:30.123Z", n.get("Timestamp").asText());
    assertEquals(
        "http://127.0.0.1:4575/?Action=Unsubscribe&SubscriptionArn=" + SUBSCRIPTION,
        n.get("UnsubscribeURL").asText());
    assertEquals("String", n.at("/MessageAttributes/type/Type").asText());
    assertEquals("ReservationPlaced", n.at("/MessageAttributes/type/Value").asText());
    assertEquals("AQID", n.at("/MessageAttributes/blob/Value").asText());
  }

  @Test
  void givenAStandardMessageWithASubject_whenWrapped_thenNoSequenceNumberAndTheSubjectIsThere()
      throws Exception {
    JsonNode n =
        JSON.readTree(
            envelope.notification(
                "m-2", null, TOPIC, "Hello", "hi", Instant.EPOCH, SUBSCRIPTION, Map.of(), "1"));

    assertFalse(n.has("SequenceNumber"));
    assertFalse(n.has("MessageAttributes"));
    assertEquals("Hello", n.get("Subject").asText());
  }

  @Test
  void givenEitherSignatureVersion_whenWrapped_thenTheServedKeyVerifiesTheCanonicalString()
      throws Exception {
    PublicKey key = publicKey(envelope.publicKeyPem());
    for (String version : List.of("1", "2")) {
      JsonNode n =
          JSON.readTree(
              envelope.notification(
                  "m-3", null, TOPIC, "S", "body", Instant.EPOCH, SUBSCRIPTION, Map.of(), version));
      String canonical =
          "Message\nbody\nMessageId\nm-3\nSubject\nS\nTimestamp\n"
              + n.get("Timestamp").asText()
              + "\nTopicArn\n"
              + TOPIC
              + "\nType\nNotification\n";
      Signature verifier =
          Signature.getInstance(version.equals("2") ? "SHA256withRSA" : "SHA1withRSA");
      verifier.initVerify(key);
      verifier.update(canonical.getBytes(StandardCharsets.UTF_8));

      assertEquals(version, n.get("SignatureVersion").asText());
      assertTrue(verifier.verify(Base64.getDecoder().decode(n.get("Signature").asText())), version);
      assertEquals("http://127.0.0.1:4575" + Envelope.CERT_PATH, n.get("SigningCertURL").asText());
    }
  }

  @Test
  void givenTwoEnvelopes_whenEitherSigns_thenBothServeTheSameKeyAsSnsDoesForARegion()
      throws Exception {
    Envelope other = new Envelope("http://127.0.0.1:4576");
    JsonNode n =
        JSON.readTree(
            other.notification(
                "m-4", null, TOPIC, null, "body", Instant.EPOCH, SUBSCRIPTION, Map.of(), "2"));
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey(envelope.publicKeyPem()));
    verifier.update(
        Envelope.canonical("m-4", TOPIC, null, "body", n.get("Timestamp").asText())
            .getBytes(StandardCharsets.UTF_8));

    assertEquals(envelope.publicKeyPem(), other.publicKeyPem());
    assertTrue(verifier.verify(Base64.getDecoder().decode(n.get("Signature").asText())));
  }

  static PublicKey publicKey(String pem) throws Exception {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
