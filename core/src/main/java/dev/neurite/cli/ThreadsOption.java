package dev.neurite.cli;

import dev.neurite.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --threads N}, shared by the commands that train. */
final class ThreadsOption {
  @Option(names = "--threads", paramLabel = "N", description = "threads for the kernels (default: all cores); results do not depend on it")
  Integer threads;

  /** Sets the kernels' thread count when the option was given. */
  void apply(CommandLine commandLine) {
    if (threads == null) return;
    if (threads < 1) throw new CommandLine.ParameterException(commandLine, "--threads must be at least 1, got " + threads);
    Parallel.setThreads(threads);
  }
}
