package dev.neurite.cli;

import dev.neurite.config.ConfigException;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./neurite}: the command line. */
@Command(name = "neurite", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Declarative deep learning: train neural networks described in YAML.",
    subcommands = {TrainCommand.class, ResumeCommand.class, SweepCommand.class, ValidateCommand.class, ReproduceCommand.class, DiffCommand.class, EvaluateCommand.class, PredictCommand.class, ExplainCommand.class, ReportCommand.class, CompareCommand.class, ExportCommand.class, GenerateCommand.class, PluginsCommand.class, SchemaCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit codes: 0 success, 1 a run failed (data, divergence, I/O), 2 bad config or usage, 70 an internal error. */
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int INTERNAL = 70;

  /** Guice logs caught plugin errors through java.util.logging; our own message already says it all. */
  private static final Logger GUICE_LOG = Logger.getLogger("com.google.inject");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: train, resume, sweep, validate, reproduce, diff, evaluate, predict, explain, plugins or schema");
  }

  public static void main(String[] args) {
    useStandardErrorFrom(System.getProperty("neurite.stderr"));
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    TrainingRun.outputWritten(); // after a signal, the JVM waits for this before it exits
    System.exit(code);
  }

  /**
   * The launcher hands the terminal's standard error over as {@code -Dneurite.stderr=/dev/fd/3} and
   * filters the JVM's own file descriptor 2, where the JVM announces the incubator module before
   * {@code main} runs; everything Java prints to {@code System.err} goes straight to the terminal.
   */
  private static void useStandardErrorFrom(String path) {
    if (path == null) return;
    String encoding = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
    Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : Charset.defaultCharset();
    try {
      System.setErr(new PrintStream(new FileOutputStream(path, true), true, charset));
    } catch (IOException | SecurityException e) {
      // keep the JVM's own standard error: the notice then shows, nothing is lost
    }
  }

  /** The command line as the manifest records it: {@code neurite} and the arguments as given. */
  static List<String> recordedCommandLine(CommandLine.Model.CommandSpec spec) {
    List<String> line = new ArrayList<>(List.of("neurite"));
    line.addAll(spec.commandLine().getParseResult().originalArgs());
    return line;
  }

  /** Runs the command line and returns the exit code (no System.exit), for tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = Arrays.asList(args).contains("--debug");
    GUICE_LOG.setLevel(debug ? Level.INFO : Level.OFF);
    CommandLine cli = new CommandLine(new Main());
    withHelp(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof NeuriteException) {
        err.println("error: " + e.getMessage());
      } else if (e instanceof UncheckedIOException || e instanceof IOException) {
        // the file system refused (full, read-only, gone): the user's to fix, not a bug
        Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
        err.println("error: " + (e == io ? "" : e.getMessage() + ": ") + Messages.brief(io));
      } else {
        err.println("internal error: " + e + (debug ? "" : " (run again with --debug for the stack trace)"));
      }
      if (debug) e.printStackTrace(err);
      err.flush();
      return e instanceof ConfigException ? BAD_INPUT
          : e instanceof NeuriteException || e instanceof UncheckedIOException || e instanceof IOException ? FAILED : INTERNAL;
    });
    cli.setExitCodeExceptionMapper(e -> BAD_INPUT);
    // a wrong option or argument: the error, picocli's suggestions for a misspelled option, and where the help is (not all of it)
    cli.setParameterExceptionHandler((e, arguments) -> {
      err.println("error: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("(./neurite " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^neurite ?", "")
          + (e.getCommandLine().getCommandSpec().parent() == null ? "" : " ") + "--help shows the usage)");
      err.flush();
      return BAD_INPUT;
    });
    try {
      return cli.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // the input was too large or too deeply nested for this JVM: one line, not a trace
      err.println("error: " + (e instanceof OutOfMemoryError
          ? "out of memory (" + e.getMessage() + "); the input is too large for this JVM's heap (raise it with NEURITE_JAVA_OPTS=-Xmx...)"
          : "the input is nested too deeply to process (stack overflow)") + (debug ? "" : " (run again with --debug for the stack trace)"));
      if (debug) e.printStackTrace(err);
      err.flush();
      return FAILED;
    }
  }

  /** Every command takes --help (and --version), e.g. {@code ./neurite train --help}; neither loads a plugin. */
  private static void withHelp(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) continue;
      sub.getCommandSpec().mixinStandardHelpOptions(true);
      sub.getCommandSpec().versionProvider(new Version());
      withHelp(sub);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"neurite " + (v == null ? "(development build)" : v)};
    }
  }
}
