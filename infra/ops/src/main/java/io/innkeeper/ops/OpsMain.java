package io.innkeeper.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code java -jar innkeeper-ops.jar COMMAND [options]}: the operator tool. Each command works on a
 * deployed stack (the outputs file {@code cdk deploy --outputs-file} wrote, AWS credentials from
 * the default chains) or on a running local runtime (the endpoints it prints at start-up); the jar
 * carries no emulator.
 */
@Command(
    name = "innkeeper-ops",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Operates an Innkeeper deployment: a deployed stack (--outputs FILE) or a running local"
          + " runtime (its endpoints, printed at start-up).",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "`innkeeper-ops COMMAND --help` shows a command's options. The local runtime is"
          + " infra/local/target/innkeeper-local.jar; bench, soak and coldstart are"
          + " infra/perf/target/innkeeper-perf.jar."
    },
    subcommands = {
      VerifyCommand.class,
      RebuildCommand.class,
      RedriveCommand.class,
      ReplayCommand.class,
      SmokeCommand.class,
      HelpCommand.class
    })
public final class OpsMain extends Cli.Command {

  public static void main(String[] args) {
    Cli.main(new OpsMain(), args);
  }

  @Override
  protected int run() {
    throw usage("Name a command: verify, rebuild, redrive, replay or smoke.");
  }
}
