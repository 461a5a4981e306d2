package dev.neurite.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code CONFIG...} and {@code --set KEY=VALUE}: an experiment as train and validate read it. */
final class ConfigFiles {
  @Parameters(paramLabel = "CONFIG", arity = "1..*",
      description = "experiment YAML file; several are merged in order (later mappings merge key by key, other values replace)")
  List<Path> configs;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a config value after merging, e.g. --set optimizer.lr=0.01 --set model.layers[0].units=128 (repeatable)")
  List<String> overrides = new ArrayList<>();
}
