package io.innkeeper.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Does what its event says, to meet Lambda's limits: {@code {"sleepMillis": N}} sleeps, {@code
 * {"answerBytes": N}} answers a JSON string of N bytes in all, and {@code {"watchTime": true}}
 * answers {@code "handed back"} at once when less than a second of the invocation is left, as a
 * handler that watches its deadline does.
 */
public final class LimitsProbeHandler implements RequestStreamHandler {
  private static final Pattern SLEEP = Pattern.compile("\"sleepMillis\"\\s*:\\s*(\\d+)");
  private static final Pattern ANSWER = Pattern.compile("\"answerBytes\"\\s*:\\s*(\\d+)");

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    if (event.contains("\"watchTime\":true") && context.getRemainingTimeInMillis() < 1000) {
      output.write("\"handed back\"".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Matcher sleep = SLEEP.matcher(event);
    if (sleep.find()) {
      try {
        Thread.sleep(Long.parseLong(sleep.group(1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    Matcher answer = ANSWER.matcher(event);
    int bytes = answer.find() ? Integer.parseInt(answer.group(1)) : 4;
    // A JSON string: two quotes around bytes - 2 letters.
    byte[] out = new byte[bytes];
    java.util.Arrays.fill(out, (byte) 'a');
    out[0] = '"';
    out[bytes - 1] = '"';
    output.write(out);
  }
}
