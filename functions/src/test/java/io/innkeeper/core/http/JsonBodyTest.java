package io.innkeeper.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

  private static ApiRequest request(String contentType, byte[] body) {
    Map<String, String> headers =
        contentType == null ? Map.of() : Map.of("Content-Type", contentType);
    return new ApiRequest("POST /x", headers, Map.of(), Map.of(), body, null, "req-1");
  }

  private static Map<String, Object> read(String json) {
    return JsonBody.object(request("application/json", json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Problem refused(String json) {
    return assertThrows(Problem.class, () -> read(json));
  }

  /** A refusal that names {@code field}: a 400 whose only error is on that field. */
  private static void refusedAt(String json, String field, String messagePart) {
    Problem p = refused(json);
    assertEquals(400, p.status());
    assertEquals(1, p.errors().size(), p.errors().toString());
    assertEquals(field, p.errors().get(0).field());
    assertTrue(p.errors().get(0).message().contains(messagePart), p.errors().get(0).message());
  }

  private static String nested(int depth) {
    // depth 1 is the top object: {"a":{"a":...{}}}
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  @Test
  void a_body_flagged_base64_that_is_not_is_a_400_not_a_500() {
    var event = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent();
    event.setRouteKey("POST /reservations");
    event.setHeaders(java.util.Map.of("content-type", "application/json"));
    event.setBody("not*base64!");
    event.setIsBase64Encoded(true);
    Problem p = assertThrows(Problem.class, () -> JsonBody.object(ApiRequest.from(event)));
    assertEquals(400, p.status());
  }

  @Test
  void a_body_over_64_KiB_is_413_before_it_is_parsed() {
    byte[] garbage = new byte[JsonBody.MAX_BYTES + 1];
    java.util.Arrays.fill(garbage, (byte) '{');
    // Not JSON, not UTF-8-checked, not even the right media type: size is decided first.
    Problem p = assertThrows(Problem.class, () -> JsonBody.object(request("text/plain", garbage)));
    assertEquals(413, p.status());
  }

  @Test
  void a_body_of_exactly_64_KiB_is_read() {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 16; i++) {
      json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"");
      json.append("x".repeat(4_000)).append('"');
    }
    json.append('}');
    String padded = " ".repeat(JsonBody.MAX_BYTES - json.length()) + json;
    assertEquals(JsonBody.MAX_BYTES, padded.length());
    assertEquals(16, read(padded).size());
  }

  @Test
  void only_json_media_types_are_read() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        415,
        assertThrows(Problem.class, () -> JsonBody.object(request("text/plain", body))).status());
    assertEquals(
        415, assertThrows(Problem.class, () -> JsonBody.object(request(null, body))).status());
    assertEquals(Map.of(), JsonBody.object(request("application/json; charset=utf-8", body)));
    assertEquals(Map.of(), JsonBody.object(request("application/merge-patch+json", body)));
  }

  @Test
  void an_empty_body_reads_as_an_empty_object() {
    assertEquals(Map.of(), JsonBody.object(request(null, new byte[0])));
    assertEquals(Map.of(), read("  \n"));
  }

  @Test
  void invalid_utf8_is_400() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    Problem p =
        assertThrows(Problem.class, () -> JsonBody.object(request("application/json", body)));
    assertEquals(400, p.status());
    assertTrue(p.detail().contains("UTF-8"), p.detail());
  }

  @Test
  void nesting_is_limited_to_20_levels() {
    assertFalse(read(nested(JsonBody.MAX_DEPTH)).isEmpty());
    String path = "a" + ".a".repeat(JsonBody.MAX_DEPTH - 1);
    refusedAt(nested(JsonBody.MAX_DEPTH + 1), path, "nested deeper than 20");
    // Arrays count as levels too, and a very deep document is refused as cheaply.
    refusedAt(
        "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
        "a" + "[0]".repeat(JsonBody.MAX_DEPTH - 1),
        "20");
  }

  @Test
  void strings_are_limited_in_length() {
    String ok = "x".repeat(JsonBody.MAX_STRING_CHARS);
    assertEquals(ok, read("{\"s\":\"" + ok + "\"}").get("s"));
    refusedAt("{\"s\":\"" + ok + "x\"}", "s", "at most 4096 characters");
  }

  @Test
  void field_names_are_limited_in_length() {
    String ok = "k".repeat(JsonBody.MAX_KEY_CHARS);
    assertTrue(read("{\"" + ok + "\":1}").containsKey(ok));
    refusedAt("{\"o\":{\"" + ok + "k\":1}}", "o", "field name longer than 100");
  }

  @Test
  void numbers_are_limited_in_length() {
    String digits = "9".repeat(JsonBody.MAX_NUMBER_CHARS);
    assertEquals(new BigInteger(digits), read("{\"n\":" + digits + "}").get("n"));
    refusedAt("{\"n\":" + digits + "9}", "n", "at most 40 characters");
    refusedAt("{\"n\":-0." + digits + "}", "n", "at most 40 characters");
  }

  @Test
  void numbers_keep_their_kind_and_exact_value() {
    Map<String, Object> body =
        read("{\"i\":2,\"l\":9000000000,\"f\":2.0,\"e\":1e999999999,\"m\":-1}");
    assertEquals(2, body.get("i"));
    assertEquals(9_000_000_000L, body.get("l"));
    assertEquals(new BigDecimal("2.0"), body.get("f"));
    assertEquals(new BigDecimal("1e999999999"), body.get("e"));
    assertEquals(-1, body.get("m"));
  }

  @Test
  void arrays_and_objects_are_limited_in_size() {
    String hundred = "[" + "1,".repeat(JsonBody.MAX_ITEMS - 1) + "1]";
    assertEquals(JsonBody.MAX_ITEMS, ((List<?>) read("{\"a\":" + hundred + "}").get("a")).size());
    refusedAt("{\"a\":[" + "1,".repeat(JsonBody.MAX_ITEMS) + "1]}", "a", "at most 100 items");

    StringBuilder fields = new StringBuilder("{");
    for (int i = 0; i <= JsonBody.MAX_ITEMS; i++) {
      fields.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
    }
    refusedAt(fields + "}", "body", "at most 100 fields");
  }

  @Test
  void duplicate_keys_are_400_naming_the_field() {
    refusedAt("{\"name\":\"a\",\"name\":\"b\"}", "name", "more than once");
    refusedAt(
        "{\"roomTypes\":[{\"code\":\"A\",\"code\":\"B\"}]}", "roomTypes[0].code", "more than once");
  }

  @Test
  void lone_surrogates_and_non_characters_are_refused_in_values_and_names() {
    assertEquals("\uD83D\uDE00 ok", read("{\"s\":\"\\ud83d\\ude00 ok\"}").get("s"));
    refusedAt("{\"s\":\"\\ud800\"}", "s", "valid Unicode");
    refusedAt("{\"s\":\"x\\udc00\"}", "s", "valid Unicode");
    refusedAt("{\"s\":[\"\\uffff\"]}", "s[0]", "valid Unicode");
    refusedAt("{\"\\ud800\":1}", "body", "valid Unicode");
  }

  @Test
  void malformed_json_is_400_without_quoting_the_body() {
    for (String bad :
        List.of(
            "{\"secret-marker\":",
            "{\"a\":1}}",
            "{\"a\":1} {}",
            "{'a':1}",
            "{\"a\":NaN}",
            "{\"a\":01}",
            "{\"a\":\"secret-marker\u0001\"}",
            "secret-marker")) {
      Problem p = refused(bad);
      assertEquals(400, p.status(), bad);
      assertFalse(p.detail().contains("secret-marker"), p.detail());
    }
  }

  @Test
  void anything_but_an_object_is_400() {
    for (String bad : List.of("[]", "\"s\"", "1", "null", "true")) {
      Problem p = refused(bad);
      assertEquals(400, p.status(), bad);
      assertEquals("The body must be a JSON object.", p.detail());
    }
  }
}
