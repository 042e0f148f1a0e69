package io.innkeeper.cdk;

import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Accepts a reviewed cdk-nag (AwsSolutions) finding on the one construct it concerns. The stack
 * carries its acknowledgments, so a synth with cdk-nag is clean; the tests run cdk-nag and fail on
 * anything unacknowledged.
 */
final class Nag {

  private Nag() {}

  /** The plugin name, which the CDK puts in front of every cdk-nag rule id it reports. */
  static final String PACK = "AwsSolutions";

  /**
   * @param rule the AwsSolutions rule, e.g. {@code L1} or {@code IAM5[Resource::*]}
   * @param reason why the finding is acceptable here: specific, reviewable
   */
  static void acknowledge(IConstruct scope, String rule, String reason) {
    Validations.of(scope).acknowledge(Acknowledgment.builder().id(id(rule)).reason(reason).build());
  }

  /** The id the CDK matches acknowledgments by, e.g. {@code AwsSolutions::AwsSolutions-L1}. */
  static String id(String rule) {
    return PACK + "::" + PACK + "-" + rule;
  }
}
