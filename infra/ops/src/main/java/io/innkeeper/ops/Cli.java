package io.innkeeper.ops;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * How Innkeeper's command-line tools ({@code innkeeper-ops}, {@code innkeeper-local}, {@code
 * innkeeper-perf}) run their picocli commands, so that all of them behave alike: {@code --help} and
 * {@code --version}, a usage error printed with the command's usage and exit code {@value
 * #EXIT_USAGE}, a failure printed as one line naming the command and exit code {@value
 * #EXIT_FAILED}.
 */
public final class Cli {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private Cli() {}

  /**
   * A command that prints to the streams it is run with (the console, or a test's buffers), rather
   * than to picocli's writers: the tools' reports are written with {@link PrintStream}s.
   */
  public abstract static class Command implements Callable<Integer> {
    @Spec protected CommandSpec spec;
    protected PrintStream out = System.out;
    protected PrintStream err = System.err;

    @Override
    public final Integer call() throws Exception {
      return run();
    }

    /** Runs the command once picocli has set its options; returns the exit code. */
    protected abstract int run() throws Exception;

    /** A usage error: picocli prints it with the usage, and the exit code is 2. */
    protected ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    /** {@code value} unless it is below {@code min}, which is a usage error. */
    protected int atLeast(String option, int value, int min) {
      if (value < min) {
        throw usage(option + ": must be at least " + min + ", not " + value);
      }
      return value;
    }
  }

  /**
   * A command whose usage has parts known only when it runs, such as what the domain on the
   * classpath declares; {@link #commandLine} asks it to add them.
   */
  public interface RuntimeHelp {
    /** Adds the sections, e.g. with {@link Cli#section}. */
    void addHelp(CommandLine line);
  }

  /**
   * Adds a section to {@code line}'s usage, before its footer, rendered when the usage is shown.
   */
  public static void section(CommandLine line, String key, IHelpSectionRenderer renderer) {
    line.getHelpSectionMap().put(key, renderer);
    List<String> keys = new ArrayList<>(line.getHelpSectionKeys());
    keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), key);
    line.setHelpSectionKeys(keys);
  }

  /** Runs {@code command} with {@code args}, printing to {@code out} and {@code err}. */
  public static int run(Object command, List<String> args, PrintStream out, PrintStream err) {
    return commandLine(command, out, err).execute(args.toArray(String[]::new));
  }

  /** The {@code main} of a jar: runs {@code command} on the console, exits unless it succeeded. */
  public static void main(Object command, String[] args) {
    int code = run(command, List.of(args), System.out, System.err);
    if (code != EXIT_OK) {
      System.exit(code);
    }
  }

  /** {@code command} set up to print to {@code out} and {@code err}, with every subcommand. */
  public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(command);
    List<CommandLine> all = new ArrayList<>();
    collect(line, all);
    for (CommandLine each : all) {
      if (each.getCommand() instanceof Command c) {
        c.out = out;
        c.err = err;
      }
      if (each.getCommand() instanceof RuntimeHelp help) {
        help.addHelp(each);
      }
    }
    line.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    line.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    line.setExecutionExceptionHandler(
        (e, failed, parsed) -> {
          failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + describe(e));
          e.printStackTrace(failed.getErr());
          return EXIT_FAILED;
        });
    return line;
  }

  private static void collect(CommandLine line, List<CommandLine> into) {
    into.add(line);
    line.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  private static String describe(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
      parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return String.join(": ", parts);
  }

  /** {@code --version}: the version the jar was built as (its manifest's). */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Cli.class.getPackage().getImplementationVersion();
      return new String[] {
        "${COMMAND-FULL-NAME} " + (version == null ? "(a development build)" : version)
      };
    }
  }

  /** An option that must be an absolute URL with a host, e.g. {@code http://127.0.0.1:8000}. */
  public static final class Url implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = URI.create(value);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
        throw new TypeConversionException(
            "must be a URL such as http://127.0.0.1:8000, not " + value);
      }
      return uri;
    }
  }
}
