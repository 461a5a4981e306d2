package dev.neurite.standard.layers;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Parallel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code lstm}, {@code gru} and {@code simple_rnn} share: stacked layers, two directions, the time
 * loop and backpropagation through time, with PyTorch's parameter names and layouts ({@code weight_ih_l0}
 * [gates x units, inputs], {@code weight_hh_l0} [gates x units, units], {@code bias_ih_l0},
 * {@code bias_hh_l0}, {@code _reverse} for the second direction), so weights interchange with
 * {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN} at {@code batch_first=True}.
 *
 * <p>The input is {@code [time, features]} per sample. Inside, sequences are time-major ({@code [time,
 * batch, features]}), so one GEMM projects the whole input sequence of a layer and each step adds one GEMM
 * of the previous state; backward sums the weight gradients of all steps in one GEMM each. A subclass
 * supplies the cell: how a step's pre-activations become the new state and how its gradient goes back.
 *
 * <p>With a padding mask, a padded step leaves a sequence's state as it was (the cell's step is skipped for that
 * sample) and outputs zeros, so each direction reads only the real steps, as PyTorch's packed sequences do: the
 * last state is the state after the last real step, and the reverse direction starts at it.
 */
abstract class Recurrent implements Layer, OnnxExportable {
  /** Multiply-adds of a layer's time loop (gates x units x (units + 1) per step and sample) from which threads split its batch. */
  private static final long PARALLEL_WORK = 1L << 18;
  private final int units;
  private final int depth;
  private final int directions;
  private final boolean returnSequences;
  private final boolean bias;
  private final int gates;
  private final RandomStream random;

  private int steps;
  private int features;
  /** training.bptt: the gradient through the state is cut every this many steps (0: never). */
  private int truncation;
  private Shape inputShape;
  private Shape outputShape;
  private boolean inputGradient;
  /** One per layer and direction, layer-major: cell {@code l * directions + d}. */
  private Cell[] cells;

  // batch buffers, sized for the largest batch so far (a shorter last batch uses their beginning)
  private int batch;
  private int capacity;
  /** Per layer, its input sequence, time-major [time * batch, inputs]. */
  private float[][] layerInputs;
  /** Per layer, d(loss)/d(its input), time-major. */
  private float[][] layerInputGrads;
  private Tensor output;
  private Tensor gradInput;
  /** The padding of the current batch's steps, or null. */
  private StepMask mask;

  Recurrent(int units, int depth, boolean bidirectional, boolean returnSequences, boolean bias, int gates, RandomStream random) {
    this.units = units;
    this.depth = depth;
    this.directions = bidirectional ? 2 : 1;
    this.returnSequences = returnSequences;
    this.bias = bias;
    this.gates = gates;
    this.random = random;
  }

  /** The layer's YAML name, for messages. */
  abstract String type();

  /** A cell of this layer's kind for layer {@code l} (input width {@code inputs}), running backwards in time when {@code reverse}. */
  abstract Cell cell(int inputs, boolean reverse);

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException(type() + " needs a sequence [time, features] per sample, got " + input
          + (input.rank() == 1 ? "; reshape a flat input, e.g. {type: reshape, shape: [28, 28]} for 28 steps of 28 values" : ""));
    }
    steps = input.dim(0);
    features = input.dim(1);
    inputShape = input;
    inputGradient = ctx.inputGradientNeeded();
    truncation = ctx.truncation();
    cells = new Cell[depth * directions];
    double bound = 1 / Math.sqrt(units); // PyTorch's initialization: every param uniform in [-1/sqrt(units), 1/sqrt(units)]
    for (int l = 0; l < depth; l++) {
      for (int d = 0; d < directions; d++) {
        int inputs = l == 0 ? features : directions * units;
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        Cell c = cell(inputs, d == 1);
        c.inputs = inputs;
        c.weightIh = ctx.param("weight_ih" + suffix, Shape.of(gates * units, inputs), true);
        c.weightHh = ctx.param("weight_hh" + suffix, Shape.of(gates * units, units), true);
        if (bias) {
          c.biasIh = ctx.param("bias_ih" + suffix, Shape.of(gates * units), false);
          c.biasHh = ctx.param("bias_hh" + suffix, Shape.of(gates * units), false);
        }
        for (Param p : new Param[] {c.weightIh, c.weightHh, c.biasIh, c.biasHh}) {
          if (p == null) continue;
          float[] v = p.value().data();
          for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        cells[l * directions + d] = c;
      }
    }
    outputShape = returnSequences ? Shape.of(steps, directions * units) : Shape.of(directions * units);
    return outputShape;
  }

  @Override
  public Masking masking() {
    return returnSequences ? Masking.KEEPS : Masking.ENDS;
  }

  @Override
  public void mask(StepMask mask) {
    this.mask = mask;
  }

  /** The ONNX operator (LSTM, GRU, RNN). */
  abstract String onnxOperator();

  /** For each of ONNX's gates in its order, the index of the same gate in PyTorch's order. */
  abstract int[] onnxGates();

  /** The operator's attributes besides hidden_size and direction. */
  Map<String, Object> onnxAttributes() {
    return Map.of();
  }

  /**
   * One ONNX node per stacked layer, on a time-major sequence: W, R and B per direction with the gates
   * reordered to ONNX's order, Y (all steps) reshaped to [time, batch, directions * units] for the next
   * layer, Y_h (each direction's final state) for the last-state output.
   */
  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = graph.node("Transpose", List.of(inputs.get(0)), Map.of("perm", new long[] {1, 0, 2}));
    int[] order = onnxGates();
    List<String> outputs = null;
    for (int l = 0; l < depth; l++) {
      int in = cells[l * directions].inputs;
      float[] w = new float[directions * gates * units * in];
      float[] r = new float[directions * gates * units * units];
      float[] b = new float[directions * 2 * gates * units];
      for (int d = 0; d < directions; d++) {
        Cell c = cells[l * directions + d];
        for (int gate = 0; gate < gates; gate++) {
          int from = order[gate] * units;
          int to = d * gates * units + gate * units;
          System.arraycopy(c.weightIh.value().data(), from * in, w, to * in, units * in);
          System.arraycopy(c.weightHh.value().data(), from * units, r, to * units, units * units);
          if (c.biasIh != null) {
            System.arraycopy(c.biasIh.value().data(), from, b, d * 2 * gates * units + gate * units, units);
            System.arraycopy(c.biasHh.value().data(), from, b, d * 2 * gates * units + gates * units + gate * units, units);
          }
        }
      }
      List<String> operands = new java.util.ArrayList<>(List.of(x,
          graph.constant("W", Tensor.wrap(w, directions, gates * units, in)), graph.constant("R", Tensor.wrap(r, directions, gates * units, units))));
      if (bias) operands.add(graph.constant("B", Tensor.wrap(b, directions, 2 * gates * units)));
      Map<String, Object> attributes = new java.util.LinkedHashMap<>(onnxAttributes());
      attributes.put("hidden_size", units);
      attributes.put("direction", directions == 2 ? "bidirectional" : "forward");
      outputs = graph.node(onnxOperator(), operands, attributes, 2);
      if (l + 1 < depth || returnSequences) { // Y [time, directions, batch, units] -> [time, batch, directions * units]
        String y = graph.node("Transpose", List.of(outputs.get(0)), Map.of("perm", new long[] {0, 2, 1, 3}));
        x = graph.node("Reshape", y, graph.ints("shape", 0, 0, -1));
      }
    }
    if (returnSequences) return graph.node("Transpose", List.of(x), Map.of("perm", new long[] {1, 0, 2}));
    String last = graph.node("Transpose", List.of(outputs.get(1)), Map.of("perm", new long[] {1, 0, 2})); // [batch, directions, units]
    return graph.node("Reshape", last, graph.ints("shape", 0, -1));
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    long sum = 0;
    for (Cell c : cells) sum += (long) gates * units * (c.inputs + units);
    return sum * steps;
  }

  int units() {
    return units;
  }

  int steps() {
    return steps;
  }

  int directions() {
    return directions;
  }

  boolean hasBias() {
    return bias;
  }

  /** The layer's cells, layer by layer, forward direction first. */
  Cell[] cells() {
    return cells;
  }

  private void allocate(int n) {
    batch = n;
    if (n <= capacity) return;
    capacity = n;
    layerInputs = new float[depth][];
    layerInputGrads = new float[depth][];
    for (int l = 0; l < depth; l++) {
      int inputs = l == 0 ? features : directions * units;
      layerInputs[l] = new float[steps * n * inputs];
      if (l > 0 || inputGradient) layerInputGrads[l] = new float[steps * n * inputs];
    }
    for (Cell c : cells) c.allocate(n);
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    allocate(n);
    toTimeMajor(x.data(), n, steps, features, layerInputs[0]);
    for (int l = 0; l < depth; l++) {
      for (int d = 0; d < directions; d++) cells[l * directions + d].forward(layerInputs[l], n);
      if (l + 1 < depth) {
        for (int d = 0; d < directions; d++) cells[l * directions + d].copyOutputs(layerInputs[l + 1], d, directions);
      }
    }
    output = Tensor.reuse(output, n, outputShape);
    float[] out = output.data();
    int width = directions * units;
    for (int d = 0; d < directions; d++) {
      Cell c = cells[(depth - 1) * directions + d];
      if (returnSequences) {
        for (int t = 0; t < steps; t++) {
          int from = c.stateOffset(t);
          for (int b = 0; b < n; b++) {
            int to = (b * steps + t) * width + d * units;
            if (padded(b, t)) Arrays.fill(out, to, to + units, 0f);
            else System.arraycopy(c.states, from + b * units, out, to, units);
          }
        }
      } else {
        int from = c.stateOffset(c.reverse ? 0 : steps - 1); // each direction's final state
        for (int b = 0; b < n; b++) System.arraycopy(c.states, from + b * units, out, b * width + d * units, units);
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    float[] g = gradOutput.data();
    int width = directions * units;
    for (int d = 0; d < directions; d++) {
      Cell c = cells[(depth - 1) * directions + d];
      float[] dh = c.outputGrads;
      if (returnSequences) {
        for (int t = 0; t < steps; t++) {
          for (int b = 0; b < n; b++) System.arraycopy(g, (b * steps + t) * width + d * units, dh, (t * n + b) * units, units);
        }
      } else {
        Arrays.fill(dh, 0, steps * n * units, 0f);
        for (int b = 0; b < n; b++) {
          int t = finalStep(b, c.reverse); // the step whose state is this direction's final one
          if (t >= 0) System.arraycopy(g, b * width + d * units, dh, (t * n + b) * units, units);
        }
      }
    }
    for (int l = depth - 1; l >= 0; l--) {
      float[] inputGrads = layerInputGrads[l];
      for (int d = 0; d < directions; d++) cells[l * directions + d].backward(layerInputs[l], inputGrads, d > 0, n);
      if (l > 0) {
        for (int d = 0; d < directions; d++) {
          float[] dh = cells[(l - 1) * directions + d].outputGrads;
          for (int r = 0; r < steps * n; r++) System.arraycopy(inputGrads, r * width + d * units, dh, r * units, units);
        }
      }
    }
    if (!inputGradient) return null;
    gradInput = Tensor.reuse(gradInput, n, inputShape);
    fromTimeMajor(layerInputGrads[0], n, steps, features, gradInput.data());
    return gradInput;
  }

  /** The last real step of sample b in the direction of reading (the first one when reverse), or -1 if it has none. */
  private int finalStep(int b, boolean reverse) {
    if (mask == null) return reverse ? 0 : steps - 1;
    if (!reverse) return mask.lastReal(b);
    for (int t = 0; t < steps; t++) if (mask.real(b, t)) return t;
    return -1;
  }

  /** Whether step t of sample b is padding. */
  private boolean padded(int b, int t) {
    return mask != null && !mask.real(b, t);
  }

  /** [batch, time, f] to [time, batch, f]. */
  static void toTimeMajor(float[] in, int n, int steps, int f, float[] out) {
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) System.arraycopy(in, (b * steps + t) * f, out, (t * n + b) * f, f);
    }
  }

  /** [time, batch, f] to [batch, time, f]. */
  static void fromTimeMajor(float[] in, int n, int steps, int f, float[] out) {
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < n; b++) System.arraycopy(in, (t * n + b) * f, out, (b * steps + t) * f, f);
    }
  }

  /**
   * One layer in one direction. {@link #states} holds the state h of every step with one extra zero slot
   * for the initial state: slot 0 when running forward (h_t in slot t + 1), slot {@code time} when running
   * backward (h_t in slot t), so the previous states of all steps are one contiguous block.
   */
  abstract class Cell {
    final boolean reverse;
    int inputs;
    Param weightIh;
    Param weightHh;
    Param biasIh;
    Param biasHh;
    /** [time * batch, gates * units]: the input projection, then whatever the cell keeps of each step (its gate values). */
    float[] pre;
    /** [(time + 1) * batch, units]. */
    float[] states;
    /** W_hh^T [units, gates * units], made at the start of each forward pass. */
    float[] recurrentWeightT;
    /** The recurrent projection h W_hh^T + b_hh of the current step [batch, gates * units], for a cell that keeps it apart (gru). */
    float[] recurrent;
    /** d(loss)/d(h_t) from above (the next layer or the output), time-major [time * batch, units]. */
    float[] outputGrads;
    /** d(loss)/d(the input pre-activations) of every step [time * batch, gates * units]. */
    float[] preGrads;
    /** d(loss)/d(the recurrent pre-activations): the same array as preGrads unless the cell tells them apart (gru). */
    float[] recurrentGrads;
    /** d(loss)/d(h) of the current step, and what flows to the previous step. */
    float[] stateGrad;
    float[] nextStateGrad;

    Cell(boolean reverse) {
      this.reverse = reverse;
    }

    /**
     * Whether the recurrent pre-activations are kept apart from the input ones (gru's reset gate scales
     * one part), and so are their gradients; else each step's recurrent GEMM adds into {@code pre}.
     */
    boolean separateRecurrentGrads() {
      return false;
    }

    void allocate(int n) {
      int wide = gates * units;
      pre = new float[steps * n * wide];
      states = new float[(steps + 1) * n * units];
      recurrent = separateRecurrentGrads() ? new float[n * wide] : null;
      if (recurrentWeightT == null) recurrentWeightT = new float[units * wide];
      outputGrads = new float[steps * n * units];
      preGrads = new float[steps * n * wide];
      recurrentGrads = separateRecurrentGrads() ? new float[steps * n * wide] : preGrads;
      stateGrad = new float[n * units];
      nextStateGrad = new float[n * units];
      allocateCell(n);
    }

    /** Sizes the cell's own per-step storage for batch n. */
    void allocateCell(int n) {}

    /** Where h_t starts in {@link #states}. */
    final int stateOffset(int t) {
      return (reverse ? t : t + 1) * batch * units;
    }

    /** Where the state before step t starts. */
    final int previousOffset(int t) {
      return (reverse ? t + 1 : t) * batch * units;
    }

    void forward(float[] x, int n) {
      int wide = gates * units;
      boolean intoPre = !separateRecurrentGrads();
      Kernels.gemm(AS_IS, TRANSPOSED, steps * n, wide, inputs, 1f, x, weightIh.value().data(), 0f, pre);
      if (biasIh != null) {
        Kernels.addRowVector(pre, steps * n, wide, biasIh.value().data());
        if (intoPre) Kernels.addRowVector(pre, steps * n, wide, biasHh.value().data());
      }
      Arrays.fill(states, reverse ? steps * n * units : 0, (reverse ? steps + 1 : 1) * n * units, 0f);
      // W_hh^T once per pass: each step's GEMM then reads it as stored instead of gathering a transpose
      float[] w = weightHh.value().data();
      for (int r = 0; r < wide; r++) for (int c = 0; c < units; c++) recurrentWeightT[c * wide + r] = w[r * units + c];
      loopRows = n;
      if (splitsTimeLoop(n)) Parallel.forRanges(n, forwardLoop);
      else forwardSteps(0, n);
    }

    /**
     * The time loop for the samples from..to of the batch: their rows are contiguous in every step's
     * buffers, and a GEMM gives each row the same bits whatever the rows around it, so threads split the
     * batch and each runs every step of its own samples (one handover per loop, not per step).
     */
    private void forwardSteps(int from, int to) {
      int n = loopRows;
      int m = to - from;
      int wide = gates * units;
      boolean intoPre = !separateRecurrentGrads();
      for (int s = 0; s < steps; s++) {
        int t = reverse ? steps - 1 - s : s;
        int previous = previousOffset(t) + from * units;
        if (intoPre) {
          Kernels.gemm(AS_IS, AS_IS, m, wide, units, 1f, states, previous, recurrentWeightT, 0, 1f, pre, (t * n + from) * wide);
        } else {
          Kernels.gemm(AS_IS, AS_IS, m, wide, units, 1f, states, previous, recurrentWeightT, 0, 0f, recurrent, from * wide);
          if (biasHh != null) {
            float[] b = biasHh.value().data();
            for (int r = from; r < to; r++) for (int j = 0; j < wide; j++) recurrent[r * wide + j] += b[j];
          }
        }
        if (mask == null) {
          step(t, n, from, to);
        } else {
          for (int b = from; b < to; ) { // the cell steps runs of real samples; a padded sample keeps its state
            int end = b;
            while (end < to && mask.real(end, t)) end++;
            if (end > b) step(t, n, b, end);
            if (end < to) carry(t, end);
            b = end + 1;
          }
        }
      }
    }

    private void backwardSteps(int from, int to) {
      int n = loopRows;
      int m = to - from;
      int wide = gates * units;
      int size = n * units;
      for (int s = steps - 1; s >= 0; s--) {
        int t = reverse ? steps - 1 - s : s;
        int at = t * size;
        for (int i = from * units; i < to * units; i++) stateGrad[i] = outputGrads[at + i] + nextStateGrad[i];
        if (mask == null) {
          stepBack(t, n, from, to);
        } else {
          for (int b = from; b < to; ) {
            int end = b;
            while (end < to && mask.real(end, t)) end++;
            if (end > b) stepBack(t, n, b, end);
            if (end < to) { // a padded step: its output is a constant zero and its state a copy of the one before
              System.arraycopy(nextStateGrad, end * units, stateGrad, end * units, units);
              Arrays.fill(preGrads, (t * n + end) * wide, (t * n + end + 1) * wide, 0f);
              if (recurrentGrads != preGrads) Arrays.fill(recurrentGrads, (t * n + end) * wide, (t * n + end + 1) * wide, 0f);
            }
            b = end + 1;
          }
        }
        if (s > 0 && truncation > 0 && s % truncation == 0) { // the state entering step s counts as a constant
          Arrays.fill(nextStateGrad, from * units, to * units, 0f);
          truncate(from, to);
        } else if (s > 0) {
          Kernels.gemm(AS_IS, AS_IS, m, units, wide, 1f, recurrentGrads, (t * n + from) * wide, weightHh.value().data(), 0,
              hasDirectStateGrad() ? 1f : 0f, nextStateGrad, from * units);
          if (mask != null) {
            for (int b = from; b < to; b++) {
              if (!mask.real(b, t)) System.arraycopy(stateGrad, b * units, nextStateGrad, b * units, units);
            }
          }
        }
      }
    }

    private int loopRows;
    private final Parallel.RangeBody forwardLoop = this::forwardSteps;
    private final Parallel.RangeBody backwardLoop = this::backwardSteps;

    /** Whether the time loop is worth splitting between threads: two samples or more, and some work per step. */
    private boolean splitsTimeLoop(int n) {
      return Parallel.running() > 1 && n >= 2 && (long) n * gates * units * (units + 1) * steps >= PARALLEL_WORK;
    }

    /**
     * Step t for the samples from..to of n: from {@code pre} at {@code t * batch * gates * units} (the input projection plus, unless the
     * cell {@linkplain #separateRecurrentGrads separates them}, the recurrent one h W_hh^T + b_hh, else that
     * is in {@link #recurrent}), the state h_t into {@code states} at {@link #stateOffset}; keeps what
     * {@link #stepBack} needs.
     */
    abstract void step(int t, int n, int from, int to);

    /**
     * Step t backwards for the samples from..to of n: from {@link #stateGrad} (d loss / d h_t), the pre-activation gradients into
     * {@link #preGrads} (and {@link #recurrentGrads}) at step t, and into {@link #nextStateGrad} the part of
     * d loss / d h_(t-1) that does not go through W_hh (zero for most cells).
     */
    abstract void stepBack(int t, int n, int from, int to);

    /** At a padded step t, sample b keeps the state it had before the step (a cell with more state copies that too). */
    void carry(int t, int b) {
      System.arraycopy(states, previousOffset(t) + b * units, states, stateOffset(t) + b * units, units);
    }

    /** Starts a backward pass (clears a carried cell state). */
    void beginBackward(int n) {}

    /** At a truncation boundary: drops whatever gradient the samples from..to carry besides the state's (lstm's cell state). */
    void truncate(int from, int to) {}

    void backward(float[] x, float[] inputGrads, boolean accumulate, int n) {
      int wide = gates * units;
      beginBackward(n);
      Arrays.fill(nextStateGrad, 0f);
      loopRows = n;
      if (splitsTimeLoop(n)) Parallel.forRanges(n, backwardLoop);
      else backwardSteps(0, n);
      int rows = steps * n;
      Kernels.gemm(TRANSPOSED, AS_IS, wide, inputs, rows, 1f, preGrads, 0, x, 0, 1f, weightIh.grad().data(), 0);
      Kernels.gemm(TRANSPOSED, AS_IS, wide, units, rows, 1f, recurrentGrads, 0, states, reverse ? n * units : 0, 1f, weightHh.grad().data(), 0);
      if (biasIh != null) {
        Kernels.sumRowsInto(preGrads, rows, wide, biasIh.grad().data());
        Kernels.sumRowsInto(recurrentGrads, rows, wide, biasHh.grad().data());
      }
      if (inputGrads != null) {
        Kernels.gemm(AS_IS, AS_IS, rows, inputs, wide, 1f, preGrads, 0, weightIh.value().data(), 0, accumulate ? 1f : 0f, inputGrads, 0);
      }
    }

    /** Whether {@link #stepBack} writes a direct part of d loss / d h_(t-1) into nextStateGrad (gru: z * dh). */
    boolean hasDirectStateGrad() {
      return false;
    }

    /** Writes this direction's states h_0 .. h_(T-1) into columns d * units.. of the next layer's input [time * batch, directions * units]. */
    void copyOutputs(float[] next, int d, int directions) {
      int n = batch;
      for (int t = 0; t < steps; t++) {
        int from = stateOffset(t);
        for (int b = 0; b < n; b++) {
          int to = (t * n + b) * directions * units + d * units;
          if (padded(b, t)) Arrays.fill(next, to, to + units, 0f);
          else System.arraycopy(states, from + b * units, next, to, units);
        }
      }
    }
  }
}
