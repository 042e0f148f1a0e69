package io.innkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Chromium or its driver the browser tests skip, and the reason names what is missing and
 * the Debian package that brings it; with both they run.
 */
class BrowserTest {

  @Test
  void without_chromium_or_its_driver_the_reason_names_each_missing_one_and_its_package(
      @TempDir Path dir) throws Exception {
    Path chromium = executable(dir.resolve("chromium"));
    Path driver = executable(dir.resolve("chromedriver"));
    assertEquals(Optional.empty(), Browser.skipReason(chromium, driver));

    String noDriver = Browser.skipReason(chromium, dir.resolve("none")).orElseThrow();
    assertTrue(noDriver.startsWith(Browser.SKIPPED), noDriver);
    assertTrue(noDriver.contains("apt-get install chromium-driver"), noDriver);
    assertTrue(!noDriver.contains("install chromium "), noDriver);

    String neither = Browser.skipReason(dir.resolve("a"), dir.resolve("b")).orElseThrow();
    assertTrue(
        neither.contains("install chromium (") || neither.contains("install chromium)"), neither);
    assertTrue(neither.contains("install chromium-driver"), neither);

    // A file that is there but cannot run counts as missing.
    Path plain = Files.writeString(dir.resolve("plain"), "");
    assertTrue(Browser.skipReason(plain, driver).isPresent());
  }

  private static Path executable(Path file) throws Exception {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
