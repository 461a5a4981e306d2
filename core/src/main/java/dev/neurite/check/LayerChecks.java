package dev.neurite.check;

import static dev.neurite.check.Check.require;

import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.Layer;
import dev.neurite.spi.MultiInputLayer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.State;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/** The contract every {@link Layer} must meet. */
public final class LayerChecks {
  /** Makes a fresh layer, configured as under test, drawing its randomness from {@code random}. */
  @FunctionalInterface
  public interface Factory {
    Layer create(RandomStream random);
  }

  private static final Pattern PARAM_NAME = Pattern.compile("layers\\.0\\.[a-z][a-z0-9_]*");
  private static final long SEED = 2024;
  private static final String SHAPES = "build declares the shape forward produces";
  private static final String REPEATABLE = "inference is repeatable and rows are independent";
  private static final String SEEDED = "the same seed gives the same params and training outputs";

  private LayerChecks() {}

  /** Every check, for a layer fed per-sample {@code input} shapes in batches of {@code batch}. */
  public static List<Check> of(Factory factory, Shape input, int batch) {
    return List.of(
        new Check(SHAPES, () -> shapes(factory, input, batch)),
        new Check("params are named layers.0.<name>, unique and finite", () -> params(factory, input)),
        // repeatability first: every later check compares passes, so a layer that is not repeatable fails them too
        new Check(REPEATABLE, () -> inference(factory, input, batch)),
        new Check(SEEDED, () -> seeded(factory, input, batch)),
        new Check("gradients match finite differences (inference)", () -> gradients(factory, input, batch, Pass.INFERENCE),
            List.of(SHAPES, REPEATABLE, SEEDED)),
        new Check("gradients match finite differences (training)", () -> gradients(factory, input, batch, Pass.TRAINING),
            List.of(SHAPES, REPEATABLE, SEEDED)),
        new Check("state saves and loads", () -> state(factory, input, batch), List.of(REPEATABLE, SEEDED)),
        new Check("with two inputs, gradients match finite differences", () -> twoInputs(factory, input, batch),
            List.of(SHAPES, REPEATABLE)),
        new Check("a padding mask hides the padded steps, and gradients match finite differences", () -> masked(factory, input, batch),
            List.of(SHAPES, REPEATABLE)));
  }

  private record Built(Layer layer, Model model, Shape output, RandomStream random) {}

  private static Built build(Factory factory, Shape input) {
    RandomStream random = new RandomStream(SEED);
    Layer layer = factory.create(random);
    // a layer that merges inputs is checked as a model uses it: fed the input twice
    Model model = layer instanceof MultiInputLayer
        ? Model.graph(List.of(new Node(null, List.of("input", "input"), layer)))
        : new Model(List.of(layer));
    Shape out = model.build(input, List.of("model.layers[0]"));
    return new Built(layer, model, out, random);
  }

  /** A batch of inputs: real values away from zero, or whole token indices for a layer that reads them. */
  private static Tensor inputs(Layer layer, Shape shape, long seed) {
    int tokens = layer.tokenInputs();
    if (tokens == 0) return FiniteDifferences.awayFromZero(shape, seed);
    RandomStream r = new RandomStream(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.set(i, r.nextInt(tokens));
    return t;
  }

  static void shapes(Factory factory, Shape input, int batch) {
    Built b = build(factory, input);
    Tensor x = inputs(b.layer(), input.prepend(batch), 1);
    for (Pass pass : Pass.values()) {
      Tensor y = b.model().forward(x, pass);
      require(y.shape().equals(b.output().prepend(batch)),
          "build returned " + b.output() + " per sample, but forward (" + pass + ") produced " + y.shape() + " for a batch of " + batch);
      Tensor g = b.model().backward(FiniteDifferences.awayFromZero(y.shape(), 2));
      require(g.shape().equals(x.shape()), "backward (" + pass + ") returned " + g.shape() + ", the input was " + x.shape());
    }
  }

  static void params(Factory factory, Shape input) {
    Built b = build(factory, input);
    Set<String> seen = new HashSet<>();
    for (Param p : b.model().params()) {
      require(PARAM_NAME.matcher(p.name()).matches(), "param '" + p.name() + "' is not named layers.0.<lower_case_name>");
      require(seen.add(p.name()), "param '" + p.name() + "' appears twice");
      for (float v : p.value().data()) require(Float.isFinite(v), "param '" + p.name() + "' starts with a non-finite value " + v);
    }
  }

  static void gradients(Factory factory, Shape input, int batch, Pass pass) {
    Built b = build(factory, input);
    RandomStream random = b.random();
    long start = random.state();
    Runnable replay = () -> random.restore(start); // the same dropout mask, noise, ... on every forward
    Tensor x = inputs(b.layer(), input.prepend(batch), 11);
    Tensor r = FiniteDifferences.awayFromZero(b.output().prepend(batch), 12);
    replay.run();
    b.model().forward(x, pass);
    b.model().zeroGrad();
    Tensor gx = b.model().backward(r.copy()).copy();
    List<Tensor> grads = new ArrayList<>();
    for (Param p : b.model().params()) grads.add(p.grad().copy());
    DoubleSupplier objective = () -> {
      replay.run();
      return FiniteDifferences.dot(b.model().forward(x, pass), r);
    };
    if (b.layer().tokenInputs() > 0) {
      for (float v : gx.data()) require(v == 0f, "a layer of token inputs returned a non-zero input gradient " + v);
    } else {
      FiniteDifferences.compare("input", x, gx, objective);
    }
    for (int i = 0; i < grads.size(); i++) {
      Param p = b.model().params().get(i);
      FiniteDifferences.compare(p.name(), p.value(), grads.get(i), objective);
    }
  }

  static void inference(Factory factory, Shape input, int batch) {
    Built b = build(factory, input);
    Tensor x = inputs(b.layer(), input.prepend(batch), 21);
    float[] first = b.model().forward(x, Pass.INFERENCE).data().clone();
    float[] second = b.model().forward(x, Pass.INFERENCE).data();
    require(Arrays.equals(first, second), "two inference passes over the same input gave different outputs");
    int rowIn = input.size();
    int rowOut = b.output().size();
    Tensor single = Tensor.zeros(input.prepend(1));
    int row = batch - 1;
    System.arraycopy(x.data(), row * rowIn, single.data(), 0, rowIn);
    float[] alone = b.model().forward(single, Pass.INFERENCE).data();
    for (int j = 0; j < rowOut; j++) {
      float inBatch = first[row * rowOut + j];
      require(Math.abs(inBatch - alone[j]) <= 1e-5f * Math.max(1f, Math.abs(inBatch)),
          "at inference, row " + row + " gives " + inBatch + " in a batch but " + alone[j] + " alone (output " + j + ")");
    }
  }

  static void seeded(Factory factory, Shape input, int batch) {
    Built a = build(factory, input);
    Built b = build(factory, input);
    for (int i = 0; i < a.model().params().size(); i++) {
      Param pa = a.model().params().get(i);
      require(Arrays.equals(pa.value().data(), b.model().params().get(i).value().data()),
          "two layers built with the same seed initialize '" + pa.name() + "' differently");
    }
    Tensor x = inputs(b.layer(), input.prepend(batch), 31);
    for (int round = 0; round < 2; round++) {
      require(Arrays.equals(a.model().forward(x, Pass.TRAINING).data(), b.model().forward(x, Pass.TRAINING).data()),
          "two layers with the same seed gave different training outputs (pass " + (round + 1) + ")");
    }
  }

  /** A {@link MultiInputLayer} fed the model input twice: checks the merge and the summing of fanned-out gradients. */
  static void twoInputs(Factory factory, Shape input, int batch) {
    Layer layer = factory.create(new RandomStream(SEED));
    if (!(layer instanceof MultiInputLayer)) return; // single-input layers: covered above
    Model model = Model.graph(List.of(new Node(null, List.of("input", "input"), layer)));
    Shape out = model.build(input, List.of("model.layers[0]"));
    Tensor x = FiniteDifferences.awayFromZero(input.prepend(batch), 51);
    Tensor r = FiniteDifferences.awayFromZero(out.prepend(batch), 52);
    model.forward(x, Pass.INFERENCE);
    model.zeroGrad();
    Tensor gx = model.backward(r.copy()).copy();
    FiniteDifferences.compare("input (fed twice)", x, gx, () -> FiniteDifferences.dot(model.forward(x, Pass.INFERENCE), r));
  }

  /**
   * For a layer that says it honours a padding mask ({@link Layer.Masking#KEEPS} or {@link Layer.Masking#ENDS}):
   * with sequences of different lengths, the outputs it gives for real steps (all of them, when it ends the
   * mask) do not change when the padded inputs do, and its gradients still match finite differences.
   */
  static void masked(Factory factory, Shape input, int batch) {
    Built b = build(factory, input);
    Layer.Masking masking = b.layer().masking();
    if (masking != Layer.Masking.KEEPS && masking != Layer.Masking.ENDS || input.rank() < 2 || b.layer().tokenInputs() > 0) return;
    int steps = input.dim(0);
    int[] lengths = new int[batch];
    for (int i = 0; i < batch; i++) lengths[i] = Math.max(1, steps - i % steps); // the first sequence whole, the others shorter
    StepMask mask = StepMask.ofLengths(steps, lengths);
    Tensor x = FiniteDifferences.awayFromZero(input.prepend(batch), 63);
    Tensor changed = x.copy();
    int perStep = input.size() / steps;
    for (int i = 0; i < batch; i++) {
      for (int t = lengths[i]; t < steps; t++) {
        for (int j = 0; j < perStep; j++) changed.data()[(i * steps + t) * perStep + j] *= -3f;
      }
    }
    b.layer().mask(mask);
    float[] before = b.model().forward(x, Pass.INFERENCE).data().clone();
    float[] after = b.model().forward(changed, Pass.INFERENCE).data();
    int perSample = b.output().size();
    int perOutputStep = masking == Layer.Masking.KEEPS && b.output().rank() >= 2 ? b.output().size() / b.output().dim(0) : perSample;
    for (int k = 0; k < before.length; k++) {
      int sample = k / perSample;
      int step = masking == Layer.Masking.KEEPS && b.output().rank() >= 2 ? (k % perSample) / perOutputStep : -1;
      if (step >= lengths[sample]) continue; // a padded step's own output may be anything
      require(Math.abs(before[k] - after[k]) <= 1e-6f * Math.max(1f, Math.abs(before[k])),
          "with sequence " + sample + " padded after step " + lengths[sample] + ", changing its padded inputs changed output "
              + k + " from " + before[k] + " to " + after[k] + ": the layer reads padded steps as real ones");
    }
    Tensor r = FiniteDifferences.awayFromZero(b.output().prepend(batch), 62);
    b.model().forward(x, Pass.INFERENCE);
    b.model().zeroGrad();
    Tensor gx = b.model().backward(r.copy()).copy();
    List<Tensor> grads = new ArrayList<>();
    for (Param p : b.model().params()) grads.add(p.grad().copy());
    DoubleSupplier objective = () -> FiniteDifferences.dot(b.model().forward(x, Pass.INFERENCE), r);
    FiniteDifferences.compare("input (masked)", x, gx, objective);
    for (int i = 0; i < grads.size(); i++) {
      Param p = b.model().params().get(i);
      FiniteDifferences.compare(p.name() + " (masked)", p.value(), grads.get(i), objective);
    }
  }

  static void state(Factory factory, Shape input, int batch) {
    Built a = build(factory, input);
    if (!(a.layer() instanceof Stateful sa)) return; // nothing to save
    Tensor x = inputs(a.layer(), input.prepend(batch), 41);
    for (int i = 0; i < 3; i++) a.model().forward(x, Pass.TRAINING);
    State saved = sa.state();
    Built b = build(factory, input);
    for (int i = 0; i < a.model().params().size(); i++) {
      System.arraycopy(a.model().params().get(i).value().data(), 0, b.model().params().get(i).value().data(), 0,
          a.model().params().get(i).value().size());
    }
    ((Stateful) b.layer()).load(saved);
    require(Arrays.equals(a.model().forward(x, Pass.INFERENCE).data(), b.model().forward(x, Pass.INFERENCE).data()),
        "a layer loaded from another's state() gives different inference outputs");
  }
}
