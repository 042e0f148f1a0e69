package io.innkeeper.perf;

import io.innkeeper.ops.Cli;
import io.innkeeper.perf.bench.BenchCommand;
import io.innkeeper.perf.coldstart.ColdStartCommand;
import io.innkeeper.perf.soak.SoakCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code java -jar innkeeper-perf.jar COMMAND [options]}: the performance tools. Each starts what
 * it measures itself (a local runtime of its own, or fresh JVMs) and reports what it measured.
 */
@Command(
    name = "innkeeper-perf",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Measures Innkeeper on this machine: each command starts what it measures itself.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "`innkeeper-perf COMMAND --help` shows a command's options. The local runtime is"
          + " infra/local/target/innkeeper-local.jar; verify, rebuild, redrive and smoke are"
          + " infra/ops/target/innkeeper-ops.jar."
    },
    subcommands = {
      BenchCommand.class,
      SoakCommand.class,
      ColdStartCommand.class,
      HelpCommand.class
    })
public final class PerfMain extends Cli.Command {

  public static void main(String[] args) {
    Cli.main(new PerfMain(), args);
  }

  @Override
  protected int run() {
    throw usage("Name a command: bench, soak or coldstart.");
  }
}
