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
  void a_token_naming_its_command_round_trips_and_tokens_without_one_still_parse() {
    var token = new ConsistencyToken("reservation#01JD00000000000000000000AB", 1, "01JDCMD_x-1");
    assertEquals(Optional.of(token), ConsistencyToken.parse(token.encode()));
    // A token issued before commands were named in it: ct1 of "hotel#h1@2".
    assertEquals(
        Optional.of(new ConsistencyToken("hotel#h1", 2, null)),
        ConsistencyToken.parse("ct1.aG90ZWwjaDFAMg"));
  }

  @Test
  void a_token_with_a_malformed_command_id_or_extra_parts_is_not_a_token() {
    for (String raw : new String[] {"hotel#h1@2@", "hotel#h1@2@a b", "hotel#h1@2@c@d"}) {
      String token =
          "ct1."
              + java.util.Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(ConsistencyToken.parse(token).isEmpty(), raw);
    }
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
