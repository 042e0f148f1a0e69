package io.innkeeper.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebuild}: replays every event into the query tables. */
@Command(
    name = "rebuild",
    header = "Replays every event into the query tables.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Replays every event of the events table into the query tables (safe while commands flow:"
          + " each projection guards its rows by version).",
      "",
      "Works against a running local runtime (--endpoint) or a deployed stack (--outputs).",
      ""
    })
public final class RebuildCommand extends ReadModelCommand {

  /** Streams replayed at once; each stream stays in order. */
  private static final int THREADS = 4;

  @Option(
      names = "--reset",
      description = "first delete every query row (only with the projector stopped)")
  boolean reset;

  @Override
  int run(ReadModelOps ops) throws InterruptedException {
    var rebuilt = ops.rebuild(reset, THREADS);
    out.printf(
        "rebuild: replayed %d events of %d streams into the query tables in %.1f s%s%n",
        rebuilt.events(),
        rebuilt.streams(),
        rebuilt.millis() / 1000.0,
        reset ? " (after deleting every query row)" : "");
    return Cli.EXIT_OK;
  }
}
