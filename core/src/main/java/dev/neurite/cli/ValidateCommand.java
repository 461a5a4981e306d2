package dev.neurite.cli;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.InitialWeights;
import dev.neurite.run.SweepRun;
import dev.neurite.train.Experiment;
import dev.neurite.train.ModelSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Check CONFIG (keys, types, ranges, component names; with the data, shapes) without training.")
final class ValidateCommand extends PluginCommand {
  @Mixin
  ConfigFiles experiment;

  @Option(names = "--no-data", description = "check the config alone; do not read the data or build the model")
  boolean noData;

  @Option(names = "--print", description = "print the resolved config (every default filled in) to standard output; "
      + "the status line then goes to standard error, so `validate --print C > resolved.yaml` writes YAML alone")
  boolean print;

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter status = print ? err() : out; // with --print, standard output is the YAML document alone
    ComponentRegistry registry = registry();
    LoadedExperiment loaded = new ExperimentLoader(registry).load(experiment.configs, experiment.overrides, System::getenv);
    Path config = experiment.configs.get(0);
    if (loaded.spec().sweep().isPresent()) SweepRun.check(registry, loaded, System::getenv);
    if (noData) {
      status.println(config + ": config OK");
    } else {
      Experiment e = Experiment.prepare(loaded);
      status.printf("%s: OK: input %s -> output %s, %d layers, %,d params; rows: train %d%s%s%n", config,
          e.splits().train().sampleShape(), e.outputShape(), e.model().layers().size(), e.model().parameterCount(),
          e.splits().train().size(),
          e.splits().validation() == null ? "" : ", validation " + e.splits().validation().size(),
          e.splits().test() == null ? "" : ", test " + e.splits().test().size());
      status.print(ModelSummary.of(e.model(), loaded).table());
      if (loaded.spec().model().initFrom().isPresent()) {
        status.println(InitialWeights.load(loaded.spec().model().initFrom().get(), e.model()).summary());
      }
    }
    if (print) out.print(loaded.resolvedYaml());
    status.flush();
    out.flush();
    return 0;
  }
}
