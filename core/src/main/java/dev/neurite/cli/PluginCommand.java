package dev.neurite.cli;

import dev.neurite.inject.ComponentRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that loads plugins (to read a config or a run): {@code --debug}, the plugin options, its output streams. */
abstract class PluginCommand implements Callable<Integer> {
  @Mixin
  DebugOption debug;

  @Mixin
  PluginOptions plugins;

  @Spec
  CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The built-in and the user's plugins; the ones that failed to load are reported on standard error. */
  ComponentRegistry registry() {
    return plugins.registry(err());
  }
}
