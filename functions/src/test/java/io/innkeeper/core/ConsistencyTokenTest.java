package io.innkeeper.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {
  @Test
  void a_token_round_trips() {
    var token = new ConsistencyToken("hotel#01JD00000000000000000000AB", 3);
    assertEquals(Optional.of(token), ConsistencyToken.parse(token.encode()));
  }

  @Test
  void malformed_tokens_are_not_tokens() {
    for (String bad :
        new String[] {
          null,
          "",
          "ct1.",
          "ct1.%%%",
          "xx1.aG90ZWwjMUAx",
          "ct1.aG90ZWwjMQ",
          "ct1." + "A".repeat(400)
        }) {
      assertTrue(ConsistencyToken.parse(bad).isEmpty(), String.valueOf(bad));
    }
    String zeroVersion =
        "ct1."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("hotel#x@0".getBytes());
    assertTrue(ConsistencyToken.parse(zeroVersion).isEmpty());
  }
}
