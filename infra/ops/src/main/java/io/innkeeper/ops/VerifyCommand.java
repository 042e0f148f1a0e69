package io.innkeeper.ops;

import picocli.CommandLine.Command;

/** {@code verify}: projects every event from scratch and compares with the query tables. */
@Command(
    name = "verify",
    header = "Compares the query tables with a replay of every event; exits 1 on drift.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Projects every event of the events table from scratch, in memory, and compares the result"
          + " with the query tables; prints the drift and exits 1 if there is any.",
      "",
      "Works against a running local runtime (--endpoint) or a deployed stack (--outputs).",
      ""
    })
public final class VerifyCommand extends ReadModelCommand {

  @Override
  int run(ReadModelOps ops) {
    ReadModelOps.Drift drift = ops.verify();
    ReadModelOps.print(drift, out);
    return drift.none() ? Cli.EXIT_OK : Cli.EXIT_FAILED;
  }
}
