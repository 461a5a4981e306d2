package dev.neurite.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.run.Manifest;
import dev.neurite.run.RunComparison;
import dev.neurite.run.RunDirectory;
import dev.neurite.run.TrainingRun;
import dev.neurite.spi.Messages;
import dev.neurite.spi.NeuriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reproduce", description = "Re-run RUN_DIR from its recorded config and data: check the data hashes first, train, "
    + "and compare the final weights' hash with the recorded one. Exit 0 on a match; otherwise 1, listing what differs.")
final class ReproduceCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a completed run directory")
  Path run;

  @Option(names = "--out", paramLabel = "DIR", description = "where the new run goes (must be new or empty); default runs/<name>-<timestamp>")
  Path out;

  @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where new run directories go (default: ${DEFAULT-VALUE})")
  Path runs;

  @Mixin
  ThreadsOption threads;

  @Override
  public Integer call() throws IOException {
    var out = out();
    threads.apply(spec.commandLine());
    Path manifestFile = run.resolve(RunDirectory.MANIFEST);
    if (!Files.isRegularFile(manifestFile)) throw new NeuriteException(run + " is not a run directory: it has no " + RunDirectory.MANIFEST);
    JsonObject manifest;
    try {
      manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new NeuriteException(manifestFile + ": cannot read it as a JSON object: " + Messages.brief(e), e);
    }
    JsonElement recorded = manifest.get("weights_sha256");
    List<String> changes = Manifest.changesOnResume(new Gson().<Map<String, Object>>fromJson(manifest, Map.class));
    if (!changes.isEmpty()) {
      out.println("not reproducible from its config alone: the run was resumed with changes (" + String.join("; ", changes) + ")");
      out.flush();
      return Main.FAILED;
    }
    if (recorded == null || recorded.isJsonNull()) {
      throw new NeuriteException(run + ": the run did not complete (status " + manifest.get("status") + "), so there are no weights to reproduce");
    }
    ComponentRegistry registry = registry();
    var recordedConfig = new ExperimentLoader(registry).load(List.of(run.resolve(RunDirectory.CONFIG)), List.of(), System::getenv);
    var recordedManifest = new Gson().<Map<String, Object>>fromJson(manifest, Map.class);
    List<String> changed = Manifest.changedData(recordedManifest, recordedConfig);
    if (!changed.isEmpty()) {
      out.println("not reproducible: the data changed since the run");
      changed.forEach(c -> out.println("  " + c));
      out.flush();
      return Main.FAILED;
    }
    List<String> commandLine = Main.recordedCommandLine(spec);
    TrainingRun.Outcome outcome = TrainingRun.train(registry, List.of(run.resolve(RunDirectory.CONFIG)), List.of(),
        new TrainingRun.Options(this.out, runs, List.of(), commandLine));
    out.println("new run: " + outcome.directory());
    if (outcome.weightsSha256().equals(recorded.getAsString())) {
      out.println("reproduced: weights_sha256 " + outcome.weightsSha256() + " matches " + run);
      out.flush();
      return 0;
    }
    out.println("NOT reproduced: weights_sha256 " + outcome.weightsSha256() + ", recorded " + recorded.getAsString());
    DiffCommand.print(out, RunComparison.compare(run, outcome.directory()));
    out.flush();
    return Main.FAILED;
  }
}
