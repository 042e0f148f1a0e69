package io.innkeeper.local;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sends standard error of the test JVM to the file named by {@code innkeeper.it.log} (set by the
 * failsafe configuration): the functions and the runtime log a JSON line for every request, command
 * and event there, hundreds of thousands in a full run, which would bury the build's own output.
 * What the tests print on standard output (their measured figures) stays in the build log. Tests
 * that read the log lines tee standard error while they run, so they still see them.
 */
public final class LogsToFile implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String file = System.getProperty("innkeeper.it.log");
    if (file == null || file.isBlank()) {
      return;
    }
    Path path = Path.of(file);
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      System.setErr(
          new PrintStream(new FileOutputStream(path.toFile(), true), true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[innkeeper] the ITs' function and runtime logs: " + path);
  }
}
