package io.innkeeper.perf;

import io.innkeeper.perf.bench.BenchCommand;
import io.innkeeper.perf.coldstart.ColdStartCommand;
import io.innkeeper.perf.soak.SoakCommand;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar innkeeper-perf.jar (soak|bench|coldstart) [options]}. */
public final class PerfMain {
  private PerfMain() {}

  public static void main(String[] args) throws Exception {
    List<String> all = Arrays.asList(args);
    String name = all.isEmpty() ? "" : all.get(0);
    List<String> rest = all.isEmpty() ? all : all.subList(1, all.size());
    int code =
        switch (name) {
          case "soak" -> SoakCommand.run(rest, System.out, System.err);
          case "bench" -> BenchCommand.run(rest, System.out, System.err);
          case "coldstart" -> ColdStartCommand.run(rest, System.out, System.err);
          default -> {
            System.err.println("Usage: java -jar innkeeper-perf.jar (soak|bench|coldstart) ...");
            yield 2;
          }
        };
    System.exit(code);
  }
}
