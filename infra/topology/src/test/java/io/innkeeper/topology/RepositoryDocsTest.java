package io.innkeeper.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository carries its own design and contract: a newcomer who clones it can follow every
 * reference. No tracked text names a document that lives outside it, and every relative link in the
 * Markdown pages reaches a file that exists.
 */
class RepositoryDocsTest {

  /** Documents the project once lived beside, outside the repository. */
  private static final Pattern OUTSIDE =
      Pattern.compile("\\b(API|DESIGN|TOOLCHAIN)\\.md\\b|\\.\\./shared/");

  /** A Markdown link or image: {@code [text](target)}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  private static final Set<String> TEXT =
      Set.of(
          ".java",
          ".md",
          ".yaml",
          ".yml",
          ".xml",
          ".json",
          ".sh",
          ".properties",
          ".txt",
          ".html",
          ".js",
          ".css");

  @Test
  void noFileRefersToADocumentOutsideTheRepository() throws IOException {
    Path root = root();
    List<String> found = new ArrayList<>();
    for (Path file : sources(root)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) {
          found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), found, "references to documents outside the repository");
  }

  @Test
  void everyRelativeLinkInTheDocsReachesAFile() throws IOException {
    Path root = root();
    List<String> broken = new ArrayList<>();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
          continue; // a URL, or an anchor in the same page
        }
        String file = target.replaceFirst("#.*$", "");
        if (!Files.exists(page.getParent().resolve(file).normalize())) {
          broken.add(root.relativize(page) + " -> " + target);
        }
      }
    }
    assertEquals(List.of(), broken, "links to files that do not exist");
  }

  /** Every tracked-looking text file: sources, docs, build files; not build output or git. */
  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !skipped(root.relativize(p)))
          .filter(p -> TEXT.stream().anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
          .filter(p -> !p.getFileName().toString().equals("RepositoryDocsTest.java"))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals(".ci") || name.equals(".mvn")) {
        continue; // the build's own files are checked like any other
      }
      if (name.equals("target")
          || name.equals("node_modules")
          || name.equals("cdk.out")
          || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    return fail(
        "the repository root (README.md and docs/) not found above "
            + Path.of("").toAbsolutePath());
  }
}
