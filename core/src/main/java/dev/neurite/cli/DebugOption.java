package dev.neurite.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}, shared by every command. {@link Main} reads it from the raw arguments before
 * parsing (it also turns on Guice's log), so the field itself is never consulted.
 */
final class DebugOption {
  @Option(names = "--debug", description = "show stack traces on errors")
  boolean debug;
}
