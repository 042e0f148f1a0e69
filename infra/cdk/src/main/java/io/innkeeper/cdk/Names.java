package io.innkeeper.cdk;

import java.util.Locale;

/**
 * Turns topology ids ({@code command-queue}) into construct and output ids ({@code CommandQueue}).
 */
final class Names {

  private Names() {}

  /**
   * Pascal case of a kebab- or snake-case id. CloudFormation logical ids and output names allow
   * only letters and digits, so everything else separates words.
   */
  static String pascal(String id) {
    var out = new StringBuilder();
    for (String word : id.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty()) {
        out.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("id has no letters or digits: '" + id + "'");
    }
    return out.toString();
  }
}
