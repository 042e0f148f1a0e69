package io.innkeeper.ops;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a deployed stack, shared by every operator command: the outputs file that
 * {@code cdk deploy --outputs-file FILE} wrote, the stack in it, and the region.
 */
public final class StackOptions {

  @Option(
      names = "--outputs",
      paramLabel = "FILE",
      description =
          "a deployed stack: the file `cdk deploy --outputs-file FILE` wrote; AWS credentials"
              + " and region from the default chains")
  Path outputs;

  @Option(
      names = "--stack",
      paramLabel = "NAME",
      defaultValue = "Innkeeper",
      description = "the stack in the outputs file (default ${DEFAULT-VALUE})")
  String stack;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "the AWS region, if not the default chain's")
  String region;

  /** The outputs file, or {@code null} when the command works on a local runtime. */
  public Path outputs() {
    return outputs;
  }

  public String stack() {
    return stack;
  }

  /** The region, or {@code null} for the default chain's. */
  public String region() {
    return region;
  }
}
