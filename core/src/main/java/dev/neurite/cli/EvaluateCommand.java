package dev.neurite.cli;

import dev.neurite.run.SavedRun;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", description = "Measure a finished run's model on a split of its data, or on other data given with --set "
    + "(e.g. --set 'data.test={type: csv, path: new.csv, label: y}' --set 'data.split={train: 1.0}'), with the run's saved preprocessing.")
final class EvaluateCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a completed run directory")
  Path run;

  @Option(names = "--split", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the run's config, e.g. the test source (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--data", paramLabel = "SOURCE", description = "evaluate this data source instead, in YAML: "
      + "'{type: csv, path: new.csv, label: y}' (short for --set data.test=SOURCE --set 'data.split={train: 1.0}' --split test)")
  String data;

  @Override
  public Integer call() {
    var out = out();
    List<String> all = new ArrayList<>(overrides);
    if (data != null) {
      all.add("data.test=" + data);
      all.add("data.split={train: 1.0}");
      all.add("data.validation=null");
      split = "test";
    }
    SavedRun saved = SavedRun.open(registry(), run, all);
    var splits = saved.experiment().splits();
    Dataset data = switch (split) {
      case "train" -> splits.train();
      case "validation" -> splits.validation();
      case "test" -> splits.test();
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--split must be train, validation or test, got '" + split + "'");
    };
    if (data == null) {
      throw new NeuriteException(run + " has no " + split + " split; evaluate other data with --set 'data." + split
          + "={type: csv, path: FILE, label: COLUMN}' --set 'data.split={train: 1.0}'");
    }
    if (saved.experiment().spec().metrics().isEmpty()) {
      throw new NeuriteException("the run's config lists no metrics; add some with --set 'metrics=[loss, accuracy]'");
    }
    Map<String, Double> metrics = new Trainer(saved.experiment()).evaluate(data);
    out.println(split + " (" + data.size() + " rows): " + ConsoleReporter.format(metrics));
    out.flush();
    return 0;
  }
}
