package dev.neurite.run;

import dev.neurite.config.ExperimentLoader;
import dev.neurite.config.LoadedExperiment;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.NeuriteException;
import dev.neurite.tensor.Tensor;
import dev.neurite.train.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A finished run loaded back: its recorded config (with optional {@code --set} overrides, e.g. another
 * test source), the data prepared with the run's saved preprocessing (restored, never refitted), and
 * the model with the saved weights and buffers. Used by {@code evaluate} and {@code predict}.
 */
public final class SavedRun {
  private final Path dir;
  private final Experiment experiment;
  private SavedRun(Path dir, Experiment experiment) {
    this.dir = dir;
    this.experiment = experiment;
  }

  public static SavedRun open(ComponentRegistry registry, Path dir, List<String> overrides) {
    return open(registry, dir, overrides, false);
  }

  /** As {@link #open(ComponentRegistry, Path, List)}; with {@code inputGradient}, a model whose backward reaches the input. */
  public static SavedRun open(ComponentRegistry registry, Path dir, List<String> overrides, boolean inputGradient) {
    Path config = dir.resolve(RunDirectory.CONFIG);
    Path weights = dir.resolve(RunDirectory.WEIGHTS);
    if (!Files.isRegularFile(config)) throw new NeuriteException(dir + " is not a run directory: it has no " + RunDirectory.CONFIG);
    if (!Files.isRegularFile(weights)) {
      throw new NeuriteException(dir + " has no " + RunDirectory.WEIGHTS + ": the run did not complete, so there is no model to load");
    }
    Map<String, Tensor> weightTensors;
    Experiment.SavedTransforms saved;
    try {
      weightTensors = SafeTensors.read(weights);
      SafeTensors.requireFinite(weightTensors, weights.toString());
      Path t = dir.resolve(RunDirectory.TRANSFORMS);
      if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
        byte[] bytes = SafeTensors.readBytes(t);
        Map<String, Tensor> state = SafeTensors.decode(bytes, t.toString());
        SafeTensors.requireFinite(state, t.toString());
        saved = new Experiment.SavedTransforms(t.toString(), state, SafeTensors.metadata(bytes));
      } else {
        saved = new Experiment.SavedTransforms(t.toString(), Map.of(), Map.of());
      }
    } catch (IOException e) {
      throw new NeuriteException("cannot read the run " + dir + ": " + e.getMessage(), e);
    }
    LoadedExperiment loaded = new ExperimentLoader(registry).load(List.of(config), overrides, System::getenv);
    Experiment experiment = Experiment.prepare(loaded, saved, inputGradient);
    load(dir, experiment, weightTensors);
    return new SavedRun(dir, experiment);
  }

  private static void load(Path dir, Experiment experiment, Map<String, Tensor> saved) {
    loadInto(dir, experiment.model(), saved);
  }

  /** Copies a run's saved params and buffers ({@code saved}, read from {@code dir}) into a freshly built model, checking every name and shape. */
  public static void loadInto(Path dir, Model model, Map<String, Tensor> saved) {
    InitialWeights.Match match = InitialWeights.Match.of(model, saved);
    List<String> problems = new ArrayList<>();
    match.missing().forEach(name -> problems.add(name + " is missing"));
    problems.addAll(match.misshapen());
    if (!problems.isEmpty()) {
      throw new NeuriteException(dir.resolve(RunDirectory.WEIGHTS) + " does not fit the model built from the run's config: "
          + String.join("; ", problems));
    }
    match.copy(saved, model);
  }


  public Path directory() {
    return dir;
  }

  public Experiment experiment() {
    return experiment;
  }

  /**
   * A second model of the run's architecture, built from its config with the initializers' values (as
   * before training; the same seed gives the same values), with input gradients: the randomized model
   * that explanations are checked against.
   */
  public Model untrainedModel(ComponentRegistry registry) {
    LoadedExperiment loaded = new ExperimentLoader(registry).load(experiment.loaded().files(), experiment.loaded().overrides(),
        System::getenv);
    Model model = Model.graph(loaded.spec().model().layers());
    List<String> paths = IntStream.range(0, loaded.spec().model().layers().size()).mapToObj(i -> "model.layers[" + i + "]").toList();
    model.build(experiment.splits().train().sampleShape(), paths, true);
    return model;
  }

}
