package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.innkeeper.ops.SmokeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code smoke --api URL} against the local runtime, as CI runs it on every build: every step of
 * the deployment check passes, the same steps {@code smoke --outputs FILE} takes against AWS.
 */
class SmokeIT {

  @Test
  void every_step_of_the_smoke_check_passes_against_the_local_runtime() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    int code =
        SmokeCommand.run(
            List.of("--api", SharedRuntime.get().apiUrl().toString()), out, System.err);

    String text = captured.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(0, code, text);
    List<String> lines = text.lines().filter(l -> l.matches("^smoke: \\d+\\. .*")).toList();
    assertEquals(8, lines.size(), text);
    assertTrue(lines.get(0).contains("register a hotel") && lines.get(0).contains("SUCCEEDED"));
    assertTrue(lines.get(6).contains("see the nights free again") && lines.get(6).endsWith(" ms"));
    assertTrue(lines.get(7).contains("take the room off sale again"), text);
  }
}
