package io.innkeeper.cdk;

import io.innkeeper.topology.OutputNames;

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
    return OutputNames.pascal(id);
  }
}
