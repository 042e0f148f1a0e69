package io.innkeeper.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.core.domain.fixture.SmokeCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smoke}'s arguments and the deploy's outputs file, offline. */
class SmokeCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  private int run(String... args) throws Exception {
    return SmokeCommand.run(List.of(args), new PrintStream(new ByteArrayOutputStream()), errStream);
  }

  @Test
  void it_needs_exactly_one_of_a_stack_or_a_local_api() throws Exception {
    assertEquals(2, run());
    assertEquals(2, run("--api", "http://127.0.0.1:8080", "--outputs", "cdk-outputs.json"));
    assertEquals(2, run("--api", "not a url"));
    assertEquals(2, run("--region"));
    assertEquals(2, run("--bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: smoke"));
    assertEquals(0, run("--help"));
  }

  @Test
  void the_outputs_file_gives_the_api_and_the_user_pool(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cdk-outputs.json");
    Files.writeString(
        file,
        "{\"Innkeeper\":{\"ApiUrl\":\"https://abc.execute-api.eu-west-1.amazonaws.com/\","
            + "\"UserPoolId\":\"eu-west-1_abc\",\"UserPoolClientId\":\"client\","
            + "\"TableEventsName\":\"events\"}}");

    assertEquals(
        Map.of(
            "ApiUrl", "https://abc.execute-api.eu-west-1.amazonaws.com/",
            "UserPoolId", "eu-west-1_abc",
            "UserPoolClientId", "client"),
        SmokeCommand.outputs(file, "Innkeeper"));
    var wrongStack =
        assertThrows(IllegalArgumentException.class, () -> SmokeCommand.outputs(file, "Other"));
    assertTrue(wrongStack.getMessage().contains("[Innkeeper]"), wrongStack.getMessage());
  }

  @Test
  void an_outputs_file_without_the_user_pool_is_a_usage_error_before_anything_is_created(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("cdk-outputs.json");
    Files.writeString(file, "{\"Innkeeper\":{\"ApiUrl\":\"https://abc/\"}}");

    assertEquals(2, run("--outputs", file.toString()));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("has no output UserPoolId"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void paths_resolve_against_a_base_url_with_or_without_its_slash() {
    assertEquals(
        "https://abc/hotels",
        SmokeCommand.Http.resolve(java.net.URI.create("https://abc/"), "hotels").toString());
    assertEquals(
        "http://127.0.0.1:8080/hotels",
        SmokeCommand.Http.resolve(java.net.URI.create("http://127.0.0.1:8080"), "hotels")
            .toString());
  }

  /** Acts as nobody: the steps below never reach an API. */
  private static final SmokeCommand.Identity NOBODY =
      new SmokeCommand.Identity() {
        @Override
        public String adminId() {
          return "admin";
        }

        @Override
        public String adminToken() {
          return "a";
        }

        @Override
        public String guestToken() {
          return "g";
        }

        @Override
        public String guestId() {
          return "guest";
        }

        @Override
        public void close() {}
      };

  @Test
  void a_failing_step_fails_the_run_after_the_clean_up_latest_first() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> cleaned = new ArrayList<>();
    SmokeCheck check =
        new SmokeCheck() {
          @Override
          public String title() {
            return "a check that fails";
          }

          @Override
          public void run(Steps steps) {
            steps.atTheEnd("clean first", () -> cleaned.add("first"));
            steps.atTheEnd("clean second", () -> cleaned.add("second"));
            steps.atTheEnd(
                "clean broken",
                () -> {
                  throw new IllegalStateException("gone");
                });
            steps.expect(steps.guest().sub().equals("guest"), "the guest is the identity's");
            steps.expect(false, "the answer was wrong");
            cleaned.add("never");
          }
        };

    boolean passed =
        new SmokeCommand.Smoke(
                URI.create("http://127.0.0.1:9"),
                NOBODY,
                new PrintStream(captured, true, StandardCharsets.UTF_8))
            .run(check);

    String text = captured.toString(StandardCharsets.UTF_8);
    assertFalse(passed, text);
    assertTrue(text.contains("FAILED at step 0: the answer was wrong"), text);
    assertTrue(text.contains("could not clean broken: gone"), text);
    assertEquals(List.of("second", "first"), cleaned);
  }

  @Test
  void a_runtime_that_does_not_answer_ends_the_run_with_exit_1() throws Exception {
    assertEquals(1, run("--api", "http://127.0.0.1:9"));
  }
}
