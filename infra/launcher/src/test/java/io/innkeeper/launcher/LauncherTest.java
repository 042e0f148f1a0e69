package io.innkeeper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

  @TempDir Path dir;

  @Test
  void featureReleaseOfEveryVersionSpelling() {
    assertEquals(17, Launcher.feature("17"));
    assertEquals(8, Launcher.feature("1.8"));
    assertEquals(8, Launcher.feature("1.8.0_402"));
    assertEquals(25, Launcher.feature("25.0.3+9"));
    assertEquals(21, Launcher.feature("21-ea"));
    assertEquals(0, Launcher.feature("unknown"));
    assertEquals(0, Launcher.feature(null));
  }

  @Test
  void javaHomeWinsWhenNewEnough() throws IOException {
    Path home = jdk("mine", "21.0.5");
    Path newer = jdk("newer", "25.0.1");
    assertEquals(home.resolve("bin/java"), Launcher.findJava(home, List.of(newer)));
  }

  @Test
  void theNewestInstalledJdkWhenJavaHomeIsTooOld() throws IOException {
    Path old = jdk("old", "17.0.15");
    Path a = jdk("a", "21.0.5");
    Path b = jdk("b", "25.0.3");
    Path c = jdk("c", "1.8.0_402");
    assertEquals(b.resolve("bin/java"), Launcher.findJava(old, List.of(old, a, b, c)));
  }

  @Test
  void noneWhenEveryJdkIsTooOldOrBroken() throws IOException {
    Path old = jdk("old", "17.0.15");
    Path noRelease = dir.resolve("bare");
    Files.createDirectories(noRelease.resolve("bin"));
    Path noJava = dir.resolve("nojava");
    Files.createDirectories(noJava);
    Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
    assertNull(Launcher.findJava(null, List.of(old, noRelease, noJava)));
  }

  @Test
  void installedFindsMacStyleHomes() throws IOException {
    Path user = dir.resolve("user");
    Path mac = user.resolve(".jdks/temurin-21/Contents/Home");
    Files.createDirectories(mac);
    assertEquals(true, Launcher.installed(user.toString()).contains(mac));
  }

  private Path jdk(String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }
}
