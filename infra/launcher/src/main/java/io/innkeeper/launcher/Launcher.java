package io.innkeeper.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Main-Class} of Innkeeper's runnable jars. Innkeeper runs on Java 21 or newer, while a
 * machine's default {@code java} may be older (Debian 12's is 17). On a new enough JVM this only
 * calls the jar's real main class, named by the manifest's {@code Innkeeper-Main}. On an older one
 * it finds a JDK 21+ on the machine ({@code JAVA_HOME}, then the usual install folders) and runs
 * the same jar, with the same JVM options and arguments, on it; or says what to install.
 *
 * <p>Compiled for Java 11, so that every JVM a newcomer may type {@code java -jar} with can load
 * it.
 */
public final class Launcher {

  /** The feature release Innkeeper's classes are compiled for. */
  static final int REQUIRED = 21;

  static final String MAIN_ATTRIBUTE = "Innkeeper-Main";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    Path jar = ownJar();
    String mainClass = mainClass(jar);
    int running = feature(System.getProperty("java.specification.version"));
    if (running >= REQUIRED) {
      try {
        Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      return;
    }
    String javaHome = System.getenv("JAVA_HOME");
    Path java =
        findJava(
            javaHome == null ? null : Path.of(javaHome),
            installed(System.getProperty("user.home")));
    if (java == null) {
      System.err.println(
          "innkeeper: this needs Java "
              + REQUIRED
              + " or newer; `java` is Java "
              + running
              + " ("
              + System.getProperty("java.home")
              + ") and no newer JDK was found (JAVA_HOME, /usr/lib/jvm, ~/.sdkman, ~/.jdks, ...)."
              + " Install one, e.g. Temurin 21, and set JAVA_HOME to it.");
      System.exit(1);
      return;
    }
    System.exit(runOn(java, jar, args));
  }

  /** Runs the jar on {@code java} in a child process that shares this one's terminal. */
  private static int runOn(Path java, Path jar, String[] args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (releaseFeature(java.getParent().getParent()) >= 23) {
      // JDK 23+ warns at start-up that ElasticMQ's Pekko uses sun.misc.Unsafe; as the JVM is
      // chosen here, so is the flag that keeps the console to what Innkeeper says.
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-jar");
    command.add(jar.toString());
    Collections.addAll(command, args);
    Process child = new ProcessBuilder(command).inheritIO().start();
    // Ctrl-C reaches both processes; this one must not return the prompt before the child has
    // finished shutting down, and a plain kill of this one must not leave the child running.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  child.destroy();
                  try {
                    child.waitFor();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    return child.waitFor();
  }

  private static Path ownJar() throws URISyntaxException {
    URL location = Launcher.class.getProtectionDomain().getCodeSource().getLocation();
    return Path.of(location.toURI());
  }

  private static String mainClass(Path jar) throws IOException {
    Manifest manifest;
    if (Files.isDirectory(jar)) {
      try (InputStream in = Files.newInputStream(jar.resolve(JarFile.MANIFEST_NAME))) {
        manifest = new Manifest(in);
      }
    } else {
      try (JarFile file = new JarFile(jar.toFile())) {
        manifest = file.getManifest();
      }
    }
    String main = manifest == null ? null : manifest.getMainAttributes().getValue(MAIN_ATTRIBUTE);
    if (main == null) {
      throw new IllegalStateException(jar + " has no " + MAIN_ATTRIBUTE + " in its manifest");
    }
    return main;
  }

  /** The feature release of a version string: 17 for "17", 8 for "1.8", 25 for "25.0.3+9". */
  static int feature(String version) {
    if (version == null) {
      return 0;
    }
    String v = version.startsWith("1.") ? version.substring(2) : version;
    Matcher m = Pattern.compile("^(\\d+)").matcher(v);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Every folder of the usual JDK install locations. */
  static List<Path> installed(String userHome) {
    List<Path> out = new ArrayList<>();
    List<Path> roots = new ArrayList<>();
    roots.add(Path.of("/usr/lib/jvm"));
    roots.add(Path.of("/usr/java"));
    roots.add(Path.of("/opt/java"));
    roots.add(Path.of("/Library/Java/JavaVirtualMachines"));
    if (userHome != null) {
      roots.add(Path.of(userHome, ".sdkman", "candidates", "java"));
      roots.add(Path.of(userHome, ".jdks"));
      roots.add(Path.of(userHome, ".asdf", "installs", "java"));
    }
    for (Path root : roots) {
      File[] children = root.toFile().listFiles(File::isDirectory);
      if (children == null) {
        continue;
      }
      for (File child : children) {
        Path home = child.toPath();
        out.add(
            Files.isDirectory(home.resolve("Contents/Home"))
                ? home.resolve("Contents/Home")
                : home);
      }
    }
    return out;
  }

  /**
   * The {@code java} of {@code javaHome} when it is at least {@link #REQUIRED}, else of the newest
   * such JDK among {@code homes}, else {@code null}.
   */
  static Path findJava(Path javaHome, List<Path> homes) {
    if (javaHome != null && usable(javaHome)) {
      return javaHome.resolve("bin").resolve("java");
    }
    Path best = null;
    int bestFeature = 0;
    for (Path home : homes) {
      Path java = home.resolve("bin").resolve("java");
      int f = releaseFeature(home);
      if (usable(home) && f > bestFeature) {
        best = java;
        bestFeature = f;
      }
    }
    return best;
  }

  private static boolean usable(Path home) {
    return releaseFeature(home) >= REQUIRED
        && Files.isExecutable(home.resolve("bin").resolve("java"));
  }

  /** The feature release in a JDK's {@code release} file, or 0. */
  static int releaseFeature(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return feature(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
