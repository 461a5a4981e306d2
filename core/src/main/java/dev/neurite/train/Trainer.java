package dev.neurite.train;

import dev.neurite.config.ExperimentSpec;
import dev.neurite.nn.Model;
import dev.neurite.spi.Callback;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Loss;
import dev.neurite.spi.Metric;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Regularizer;
import dev.neurite.spi.Schedule;
import dev.neurite.spi.Stateful;
import dev.neurite.spi.StepInfo;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training loop: per epoch, shuffle (from the seed), then per batch forward, loss, backward,
 * regularizer gradients, optimizer step; then metrics and callbacks. Training metrics are running
 * means over the epoch's batches (dropout active); the final metrics are recomputed in inference
 * mode on every split.
 *
 * <p>A warm batch creates no object: the loops over lists are indexed (a for-each makes an iterator,
 * which the JIT does not always remove), and one {@link StepInfo} and one {@link Schedule.Progress}
 * are set anew for every step.
 */
public final class Trainer {
  /**
   * Where the loop stands: all a checkpoint needs from the trainer itself. {@code epoch} epochs are
   * finished and {@code batch} batches of the next one (0 between epochs, when the metrics, loss
   * sums and cursor streams do not matter). {@code cursorStreams} are the augmentations' stream
   * states the next batch starts from (empty between epochs, when the live streams are those).
   * {@code firstLoss} is the run's first batch loss, the divergence check's reference (NaN before it).
   */
  public record Snapshot(int epoch, int batch, long step, double lrFactor, long shuffleState, int[] order, String stopReason,
                         double lossSum, long seen, Map<String, Long> cursorStreams, double firstLoss) {
    public boolean midEpoch() {
      return batch > 0;
    }
  }

  /** Called as the loop goes, e.g. to write checkpoints; either may throw to stop the run. */
  public interface Hooks {
    /** After every optimizer step: {@code batch} of the {@code batches} batches of epoch {@code epoch} are done. */
    default void afterStep(int epoch, int batch, int batches) {}

    /** After every finished epoch, after the callbacks. */
    default void afterEpoch(int epoch) {}
  }

  private static final Hooks NO_HOOKS = new Hooks() {};

  private final Experiment experiment;
  private final ExperimentSpec spec;
  private final Model model;
  /** Every param (callbacks read and restore them all). */
  private final List<Param> params;
  /** The params the optimizer, the regularizers and clipping see: those of layers not frozen. */
  private final List<Param> trained;
  private final Loss loss;
  private final List<Metric> metrics;
  private final List<String> metricNames;
  private final RandomStream shuffle;
  private final Schedule schedule;
  private final List<Regularizer> regularizers;
  private final Map<String, RandomStream> augmentationStreams;
  /** What callbacks may do to the run: stop it, read the params. */
  private final Callback.Control control;
  /** Handed to the schedule and the optimizer at every step, set anew each time (no object per step). */
  private final Schedule.Progress progress = new Schedule.Progress(0, 0, 1, 1);
  private final StepInfo stepInfo = new StepInfo(0, 0);

  // where the loop stands (see Snapshot)
  private long step;
  private double lrFactor = 1.0;
  private String stopReason;
  private int[] order;
  private int epochsDone;
  private int batchesDone;
  private double lossSum;
  private long seen;
  /** The run's first batch loss: {@code training.divergence_factor} is relative to it. */
  private double firstLoss = Double.NaN;
  /** Made by {@link #fit} (evaluating needs none); null when {@code training.diagnostics} is off. */
  private Diagnostics diagnostics;
  /** The training batches while {@link #fit} runs. */
  private BatchLoader loader;
  /** training.gradient_groups above 1, or a data-parallel run: the batch's gradient in groups (null: at once). */
  private GradientGroups groups;
  /** The other processes of a data-parallel run, or null. */
  private StepExchange exchange;

  public Trainer(Experiment experiment) {
    this.experiment = experiment;
    this.spec = experiment.spec();
    this.model = experiment.model();
    this.params = model.params();
    this.trained = model.trainableParams();
    this.loss = spec.loss();
    this.metrics = spec.metrics();
    this.metricNames = experiment.metricNames();
    this.shuffle = RandomStream.derive(spec.seed(), "training.shuffle");
    this.schedule = spec.schedule().orElse(null);
    this.regularizers = spec.regularizers();
    this.augmentationStreams = experiment.augmentationStreams();
    this.control = new Callback.Control() {
      @Override
      public void requestStop(String reason) {
        stopReason = reason;
      }

      @Override
      public List<Param> params() {
        return params;
      }
    };
  }

  /**
   * Makes this trainer one process of a data-parallel run: it computes gradient groups
   * {@code exchange.first()} to {@code exchange.end()} of every batch and takes each step with every
   * process's share; call before {@link #fit}.
   */
  public void exchangeWith(StepExchange exchange) {
    refuseUnlessExact(experiment, exchange);
    this.exchange = exchange;
  }

  /**
   * Refuses a data-parallel worker whose share would not give the single-machine run's bytes: groups that are
   * not one node of the tree, or a model with running state updated in the forward pass (batch_norm's statistics,
   * which a worker would update from its own rows only).
   */
  public static void refuseUnlessExact(Experiment experiment, StepExchange exchange) {
    int g = experiment.spec().training().gradientGroups();
    if (exchange.first() < 0 || exchange.end() > g || exchange.first() >= exchange.end()
        || !GradientGroups.isNode(exchange.first(), exchange.end(), g)) {
      throw new DataParallelRefusedException("a data-parallel worker must hold a whole node of the gradient groups' tree: groups "
          + exchange.first() + " to " + (exchange.end() - 1) + " of training.gradient_groups " + g + " are not one; with W workers "
          + "(a power of two) gradient_groups must be a multiple of W");
    }
    if (exchange.first() == 0 && exchange.end() == g) return; // every group here: nothing is split
    var nodes = experiment.model().nodes();
    Object layers = experiment.loaded().resolved().get("model") instanceof Map<?, ?> m ? m.get("layers") : null;
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).layer() instanceof Stateful s && !s.state().tensors().isEmpty()) {
        Object layer = layers instanceof List<?> l && i < l.size() ? l.get(i) : null;
        String type = layer instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : String.valueOf(layer);
        throw new DataParallelRefusedException("model.layers[" + i + "] (" + type + ") keeps running state ("
            + String.join(", ", s.state().tensors().keySet()) + ") that its forward pass updates, which each data-parallel worker "
            + "would update from its own rows only; train this model on one machine (training.gradient_groups works there too)");
      }
    }
  }

  /** Optimizer steps taken so far. */
  public long step() {
    return step;
  }

  /** The loop's state after the last step or epoch. */
  public Snapshot snapshot() {
    Map<String, Long> cursor = new LinkedHashMap<>();
    if (batchesDone > 0) {
      long[] states = loader.streamStates();
      int i = 0;
      for (String path : augmentationStreams.keySet()) cursor.put(path, states[i++]);
    }
    return new Snapshot(epochsDone, batchesDone, step, lrFactor, shuffle.state(), order.clone(), stopReason, lossSum, seen, cursor, firstLoss);
  }

  public TrainingResult fit(List<TrainingListener> listeners) {
    return fit(listeners, null, null);
  }

  /**
   * Trains to the configured number of epochs. With {@code resume}, the loop continues from that
   * snapshot, in the middle of an epoch if it was taken there (the components' own state, the
   * metrics' included, must have been restored already, and the callbacks' {@code onTrainStart}
   * is not called again); {@code hooks} may be null.
   */
  public TrainingResult fit(List<TrainingListener> listeners, Snapshot resume, Hooks hooks) {
    long start = System.nanoTime();
    Dataset train = experiment.splits().train();
    int epochs = spec.training().epochs();
    int batchSize = spec.training().batchSize();
    int batches = (train.size() + batchSize - 1) / batchSize;
    listeners.forEach(l -> l.onStart(epochs, batches, train.size()));
    if (spec.training().diagnostics() && diagnostics == null) diagnostics = new Diagnostics(model, experiment.loaded(), train);
    if ((spec.training().gradientGroups() > 1 || exchange != null) && groups == null) groups = new GradientGroups(
        spec.training().gradientGroups(), trained, stepStreams());
    int resumeBatch = 0;
    if (resume == null) {
      spec.callbacks().forEach(c -> c.onTrainStart(control));
      order = Splits.identity(train.size());
    } else {
      restore(resume, train.size(), batches);
      resumeBatch = resume.batch();
    }
    int epoch = resume == null ? 0 : resume.epoch();
    try (BatchLoader batchLoader = new BatchLoader(train, batchSize, spec.data().augment(),
        List.copyOf(augmentationStreams.values()), spec.training().prefetch())) {
      loader = batchLoader;
      while (epoch < epochs && stopReason == null) {
        epoch++;
        runEpoch(epoch, resumeBatch, batches, epochs, listeners, hooks == null ? NO_HOOKS : hooks);
        resumeBatch = 0;
      }
    } finally {
      loader = null;
    }
    spec.callbacks().forEach(c -> c.onTrainEnd(control));
    return finalEvaluation(epoch, (System.nanoTime() - start) / 1e9);
  }

  /** Takes up the loop where {@code resume} left it, after checking the data still fits it. */
  private void restore(Snapshot resume, int trainingRows, int batches) {
    if (resume.order().length != trainingRows) {
      throw new NeuriteException("the checkpoint was taken with " + resume.order().length
          + " training rows, but the data now has " + trainingRows);
    }
    if (resume.batch() >= batches) {
      throw new NeuriteException("the checkpoint was taken after batch " + resume.batch()
          + " of an epoch, but an epoch now has " + batches + " batches");
    }
    order = resume.order().clone();
    step = resume.step();
    lrFactor = resume.lrFactor();
    shuffle.restore(resume.shuffleState());
    epochsDone = resume.epoch();
    stopReason = resume.stopReason();
    lossSum = resume.lossSum();
    seen = resume.seen();
    firstLoss = resume.firstLoss();
  }

  /**
   * One epoch from batch {@code first} (0 unless resumed mid-epoch): the batches, then the metrics
   * row (training means, validation metrics, the schedule's factor, seconds), which the schedule,
   * the listeners and the callbacks see in that order.
   */
  private void runEpoch(int epoch, int first, int batches, int epochs, List<TrainingListener> listeners, Hooks hooks) {
    long epochStart = System.nanoTime();
    if (first == 0) {
      if (spec.training().shuffle()) shuffle.shuffle(order);
      metrics.forEach(Metric::reset);
      lossSum = 0;
      seen = 0;
    }
    loader.start(order, order.length, first);
    if (diagnostics != null) diagnostics.startEpoch();
    Map<String, Double> row = new LinkedHashMap<>();
    row.put("epoch", (double) epoch);
    trainBatches(first, epoch, batches, epochs, listeners, hooks);
    batchesDone = 0;
    for (int i = 0; i < metrics.size(); i++) row.put("train_" + metricNames.get(i), metrics.get(i).value());
    Dataset validation = experiment.splits().validation();
    if (validation != null) evaluate(validation).forEach((k, v) -> row.put("validation_" + k, v));
    if (schedule != null) row.put("lr_factor", lrFactor);
    row.put("seconds", (System.nanoTime() - epochStart) / 1e9);
    if (schedule != null) schedule.onEpochEnd(epoch, Map.copyOf(row));
    listeners.forEach(l -> l.onEpoch(epoch, row));
    if (diagnostics != null) {
      Map<String, Double> measured = diagnostics.row(epoch, lrFactor);
      measured.put("seconds", row.get("seconds"));
      listeners.forEach(l -> l.onDiagnostics(epoch, measured));
    }
    for (Callback c : spec.callbacks()) c.onEpochEnd(epoch, Map.copyOf(row), control);
    epochsDone = epoch;
    hooks.afterEpoch(epoch);
  }

  /**
   * The loader's batches from {@code first} on: forward, loss, backward, regularizers, clipping,
   * step; the metrics and loss sums are updated (they were reset, or restored, by the caller).
   */
  private void trainBatches(int first, int epoch, int batches, int epochs, List<TrainingListener> listeners, Hooks hooks) {
    if (groups != null) {
      trainBatchesInGroups(first, epoch, batches, epochs, listeners, hooks);
      return;
    }
    for (int b = first; b < batches; b++) {
      BatchLoader.Batch batch = loader.next();
      int n = batch.features().rows();
      model.zeroGrad();
      Tensor output = model.forward(batch.features(), Pass.TRAINING);
      if (diagnostics != null) diagnostics.afterForward(n);
      double batchLoss = loss.forward(output, batch.targets());
      checkDivergence(batchLoss, epoch, b, batches);
      model.backward(loss.backward());
      step(epoch, b, batches, epochs);
      for (int m = 0; m < metrics.size(); m++) metrics.get(m).update(output, batch.targets(), batchLoss);
      lossSum += batchLoss * n;
      seen += n;
      double running = lossSum / seen;
      for (int l = 0; l < listeners.size(); l++) listeners.get(l).onBatch(epoch, b + 1, running);
      batchesDone = b + 1;
      hooks.afterStep(epoch, b + 1, batches);
    }
  }

  /**
   * {@link #trainBatches} with each batch's gradient computed in groups ({@link GradientGroups}): this process's
   * groups forward and backward, the shares exchanged with the other processes (if any), the groups' gradients
   * added in their tree, then the checks, regularizers, clipping and step as for a whole batch; the metrics
   * see each group's outputs in group order.
   */
  private void trainBatchesInGroups(int first, int epoch, int batches, int epochs, List<TrainingListener> listeners, Hooks hooks) {
    int g0 = exchange == null ? 0 : exchange.first();
    int g1 = exchange == null ? groups.groups() : exchange.end();
    Shape sample = model.shapes().get(model.shapes().size() - 1);
    for (int b = first; b < batches; b++) {
      BatchLoader.Batch batch = loader.next();
      int n = batch.features().rows();
      groups.startBatch();
      for (int g = g0; g < g1; g++) {
        int rows = groups.rows(g, n);
        model.zeroGrad();
        if (rows > 0) {
          groups.streamsFor(g);
          Tensor output = model.forward(groups.slice(batch.features(), g, 0), Pass.TRAINING);
          if (diagnostics != null && g == 0) diagnostics.afterForward(rows);
          double groupLoss = loss.forward(output, groups.slice(batch.targets(), g, 1));
          model.backward(loss.backward());
          groups.keep(g, output, groupLoss);
        } else {
          groups.keepNothing(g);
        }
        groups.keepLeaf(g, (float) ((double) rows / n));
      }
      groups.streamsFor(groups.groups());
      if (exchange == null) {
        groups.combineInto(null);
      } else {
        List<StepExchange.Share> shares = exchange.exchange(groups.share(step, g0, g1, n));
        groups.receive(shares, g0, g1, sample, n);
        groups.combineInto(shares);
      }
      double batchLoss = 0;
      for (int g = 0; g < groups.groups(); g++) batchLoss += groups.loss(g) * groups.rows(g, n);
      batchLoss /= n;
      checkDivergence(batchLoss, epoch, b, batches);
      step(epoch, b, batches, epochs);
      for (int g = 0; g < groups.groups(); g++) { // the metrics see each group's outputs, in group order
        int rows = groups.rows(g, n);
        if (rows == 0) continue;
        Tensor targets = groups.slice(batch.targets(), g, 1);
        for (int m = 0; m < metrics.size(); m++) metrics.get(m).update(groups.output(g), targets, groups.loss(g));
        lossSum += groups.loss(g) * rows;
      }
      seen += n;
      double running = lossSum / seen;
      for (int l = 0; l < listeners.size(); l++) listeners.get(l).onBatch(epoch, b + 1, running);
      batchesDone = b + 1;
      hooks.afterStep(epoch, b + 1, batches);
    }
  }

  /** With the batch's gradient in the params: regularizers, clipping, the schedule's factor, the optimizer step, constraints. */
  private void step(int epoch, int b, int batches, int epochs) {
    for (int r = 0; r < regularizers.size(); r++) regularizers.get(r).addGradient(trained);
    clip(trained);
    double factor = schedule == null ? 1.0 : schedule.factor(progress.set(step, epoch - 1, batches, epochs));
    lrFactor = factor;
    step++;
    boolean last = b == batches - 1;
    if (diagnostics != null) diagnostics.beforeStep(b, last);
    spec.optimizer().step(trained, stepInfo.set(step, epoch, factor));
    if (diagnostics != null && last) diagnostics.afterLastStep();
    for (int r = 0; r < regularizers.size(); r++) regularizers.get(r).constrain(trained);
  }

  /** The random streams a step draws from on this thread: every component's but the data's (augmentations draw on the loader's thread). */
  private List<RandomStream> stepStreams() {
    List<RandomStream> streams = new ArrayList<>();
    experiment.loaded().streams().forEach((path, stream) -> {
      if (!path.startsWith("data") && !augmentationStreams.containsValue(stream)) streams.add(stream);
    });
    return streams;
  }

  /** Gradient clipping by value, then by global norm (as torch.nn.utils.clip_grad_norm_, summed in param order). */
  private void clip(List<Param> params) {
    float limit = (float) spec.training().clipValue();
    if (limit > 0) {
      for (int j = 0; j < params.size(); j++) {
        float[] g = params.get(j).grad().data();
        for (int i = 0; i < g.length; i++) g[i] = Math.max(-limit, Math.min(limit, g[i]));
      }
    }
    double maxNorm = spec.training().clipNorm();
    if (maxNorm > 0) {
      double sum = 0;
      for (int j = 0; j < params.size(); j++) sum += Kernels.sumOfSquares(params.get(j).grad().data());
      double norm = Math.sqrt(sum);
      if (norm > maxNorm) {
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (int j = 0; j < params.size(); j++) {
          float[] g = params.get(j).grad().data();
          for (int i = 0; i < g.length; i++) g[i] *= scale;
        }
      }
    }
  }

  /** The metrics of every split in inference mode, and the details some metrics give (a confusion matrix). */
  private TrainingResult finalEvaluation(int epochs, double seconds) {
    Map<String, Dataset> splits = new LinkedHashMap<>();
    splits.put("train", experiment.splits().train());
    if (experiment.splits().validation() != null) splits.put("validation", experiment.splits().validation());
    if (experiment.splits().test() != null) splits.put("test", experiment.splits().test());
    Map<String, Map<String, Double>> finals = new LinkedHashMap<>();
    Map<String, Map<String, Object>> details = new LinkedHashMap<>();
    splits.forEach((name, data) -> {
      Evaluation e = evaluateWithDetails(data);
      finals.put(name, e.metrics());
      if (!e.details().isEmpty()) details.put(name, e.details());
    });
    return new TrainingResult(epochs, stopReason, seconds, finals, details);
  }

  /** The model's outputs over {@code data} in row order and inference mode, batch by batch (the tensor is reused). */
  public void outputs(Dataset data, Consumer<Tensor> perBatch) {
    try (BatchLoader loader = new BatchLoader(data, Math.max(spec.training().batchSize(), 256))) {
      loader.start(Splits.identity(data.size()), data.size());
      for (int from = 0; from < data.size(); from += loader.batchSize()) {
        perBatch.accept(model.forward(loader.next().features(), Pass.INFERENCE));
      }
    }
  }

  /** A split's metrics, and the details some metrics give beside their value (a confusion matrix), by metric name. */
  public record Evaluation(Map<String, Double> metrics, Map<String, Object> details) {}

  /** The configured metrics over {@code data} in inference mode, with their details. */
  public Evaluation evaluateWithDetails(Dataset data) {
    Map<String, Double> values = evaluate(data);
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      Object d = metrics.get(i).details();
      if (d != null) details.put(metricNames.get(i), d);
    }
    return new Evaluation(values, details);
  }

  /** The configured metrics over {@code data}, in inference mode. */
  public Map<String, Double> evaluate(Dataset data) {
    metrics.forEach(Metric::reset);
    try (BatchLoader loader = new BatchLoader(data, Math.max(spec.training().batchSize(), 256))) {
      loader.start(Splits.identity(data.size()), data.size());
      for (int from = 0; from < data.size(); from += loader.batchSize()) {
        BatchLoader.Batch batch = loader.next();
        Tensor output = model.forward(batch.features(), Pass.INFERENCE);
        double batchLoss = loss.forward(output, batch.targets());
        for (Metric m : metrics) m.update(output, batch.targets(), batchLoss);
      }
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) values.put(metricNames.get(i), metrics.get(i).value());
    return values;
  }

  /**
   * Stops the run before a step on a loss that is not finite, above {@code training.max_loss}, or
   * more than {@code training.divergence_factor} times the run's first batch loss: a runaway loss
   * stops while it is still finite, and no step (so no checkpoint) is taken from it.
   */
  private void checkDivergence(double batchLoss, int epoch, int batch, int batches) {
    if (Double.isNaN(firstLoss)) firstLoss = batchLoss;
    if (!Double.isFinite(batchLoss)) throw diverged(batchLoss, "", epoch, batch, batches);
    double ceiling = spec.training().maxLoss();
    if (ceiling > 0 && batchLoss > ceiling) {
      throw diverged(batchLoss, " (above training.max_loss " + Numbers.significant(ceiling, 4) + ")", epoch, batch, batches);
    }
    double factor = spec.training().divergenceFactor();
    if (factor > 0 && firstLoss > 0 && batchLoss > factor * firstLoss) {
      throw diverged(batchLoss, " (more than training.divergence_factor " + Numbers.significant(factor, 4) + " times the first batch's loss "
          + Numbers.significant(firstLoss, 4) + ")", epoch, batch, batches);
    }
  }

  private TrainingDivergedException diverged(double value, String why, int epoch, int batch, int batches) {
    return new TrainingDivergedException("training diverged: the loss became " + Numbers.significant(value, 4) + why + " at epoch " + epoch
        + ", step " + (step + 1) + " (batch " + (batch + 1) + " of " + batches + "). Lower the learning rate (optimizer, "
        + experiment.loaded().positionOf("optimizer") + ") or check the data for extreme values; "
        + "the metrics of the finished epochs and the last checkpoint are kept in the run directory; continue with a lower rate "
        + "by ./neurite resume RUN_DIR --set optimizer.lr=...");
  }
}
