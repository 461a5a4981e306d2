package dev.neurite.train;

import dev.neurite.config.LoadedExperiment;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training diagnostics of {@code diagnostics.csv}, one row per epoch: the learning rate; per param
 * tensor its L2 norm at the epoch's end, its gradient's L2 norm (the mean over every 16th step of the epoch and its last) and
 * the update/weight ratio of the epoch's last step (|step| / |weights before it|); per ReLU layer (a
 * {@code relu} layer or a fused {@code activation: relu}) the fraction of its units (output values of
 * one sample) that were zero for every training sample of the epoch; per layer the mean and standard
 * deviation of its output over a fixed probe batch (the first 256 training rows, inference mode).
 *
 * <p>Columns are {@code lr}, then {@code KIND:NAME} with KIND one of {@code weight_norm},
 * {@code grad_norm}, {@code update_ratio} (NAME a param, {@code layers.1.weight}), {@code dead_fraction},
 * {@code activation_mean}, {@code activation_std} (NAME a layer, as in the model summary). Measuring
 * reads every gradient and every ReLU output once per step into buffers made up front (no allocation
 * per step), copies the params once per epoch, and runs one probe forward pass per epoch; it never
 * changes what is trained. After a resume in the middle of an epoch, that epoch's gradient means and
 * dead fractions cover the steps since the resume.
 */
public final class Diagnostics {
  /** Rows of the probe batch. */
  static final int PROBE_ROWS = 256;
  /** Gradient norms are read on every this many steps: reading them all costs about a tenth of an MLP's step. */
  static final int GRADIENT_EVERY = 16;

  private final Model model;
  private final List<Param> params;
  private final double baseLr;
  private final List<String> layerNames = new ArrayList<>();
  /** Indices of the ReLU layers, and per ReLU layer whether each unit fired this epoch. */
  private final int[] reluLayers;
  private final boolean[][] fired;
  private final double[] gradNormSums;
  private final float[][] before;
  private final double[] updateRatios;
  private final Tensor probe;
  private int steps;

  Diagnostics(Model model, LoadedExperiment loaded, Dataset train) {
    this.model = model;
    this.params = model.params();
    this.baseLr = baseLr(loaded);
    List<Node> nodes = model.nodes();
    Object layers = loaded.resolved().get("model") instanceof Map<?, ?> m ? m.get("layers") : null;
    List<Integer> relus = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      layerNames.add(nodes.get(i).name() != null ? nodes.get(i).name() : "layers[" + i + "]");
      Object resolved = layers instanceof List<?> l && i < l.size() ? l.get(i) : null;
      if (isRelu(resolved)) relus.add(i);
    }
    reluLayers = relus.stream().mapToInt(Integer::intValue).toArray();
    fired = new boolean[reluLayers.length][];
    for (int r = 0; r < reluLayers.length; r++) fired[r] = new boolean[model.shapes().get(reluLayers[r] + 1).size()];
    gradNormSums = new double[params.size()];
    updateRatios = new double[params.size()];
    before = new float[params.size()][];
    for (int p = 0; p < params.size(); p++) before[p] = new float[params.get(p).value().size()];
    int rows = Math.min(PROBE_ROWS, train.size());
    probe = Tensor.zeros(train.sampleShape().prepend(rows));
    float[] target = new float[Math.max(1, train.targetShape().size())];
    int width = train.sampleShape().size();
    for (int r = 0; r < rows; r++) train.read(r, probe.data(), r * width, target, 0);
  }

  /** {@code relu}, or a layer with the fused {@code activation: relu}. */
  private static boolean isRelu(Object layer) {
    if ("relu".equals(layer)) return true;
    if (!(layer instanceof Map<?, ?> m)) return false;
    Object activation = m.get("activation");
    Object activationType = activation instanceof Map<?, ?> a ? a.get("type") : activation;
    return "relu".equals(m.get("type")) || "relu".equals(activationType);
  }

  private static double baseLr(LoadedExperiment loaded) {
    return loaded.resolved().get("optimizer") instanceof Map<?, ?> m && m.get("lr") instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Before an epoch's first step (or the first step after a resume). */
  void startEpoch() {
    steps = 0;
    java.util.Arrays.fill(gradNormSums, 0);
    java.util.Arrays.fill(updateRatios, Double.NaN);
    for (boolean[] f : fired) java.util.Arrays.fill(f, false);
  }

  /** After the forward pass of a training batch of {@code n} rows: which ReLU units fired. */
  void afterForward(int n) {
    for (int r = 0; r < reluLayers.length; r++) {
      float[] out = model.outputOf(reluLayers[r]).data();
      boolean[] f = fired[r];
      int units = f.length;
      for (int u = 0; u < units; u++) {
        if (f[u]) continue; // fired earlier this epoch: most units after the first batches
        for (int row = 0; row < n; row++) {
          if (out[row * units + u] > 0) {
            f[u] = true;
            break;
          }
        }
      }
    }
  }

  /**
   * After the gradients are final (regularizers and clipping applied), before the step of batch
   * {@code batch} (from 0); {@code last}: the epoch's last step. Gradient norms are read every
   * {@link #GRADIENT_EVERY}th step and at the last.
   */
  void beforeStep(int batch, boolean last) {
    if (batch % GRADIENT_EVERY != 0 && !last) return;
    steps++;
    for (int p = 0; p < params.size(); p++) {
      gradNormSums[p] += Math.sqrt(Kernels.sumOfSquares(params.get(p).grad().data()));
      if (last) System.arraycopy(params.get(p).value().data(), 0, before[p], 0, before[p].length);
    }
  }

  /** After the epoch's last step: each param's update relative to its value before it. */
  void afterLastStep() {
    for (int p = 0; p < params.size(); p++) {
      float[] now = params.get(p).value().data();
      float[] was = before[p];
      double step = 0;
      double weight = 0;
      for (int i = 0; i < now.length; i++) {
        double d = (double) now[i] - was[i];
        step += d * d;
        weight += (double) was[i] * was[i];
      }
      updateRatios[p] = weight == 0 ? Double.NaN : Math.sqrt(step / weight);
    }
  }

  /** The epoch's row, {@code lrFactor} being the schedule's factor of its last step; runs the probe batch through the model. */
  Map<String, Double> row(int epoch, double lrFactor) {
    Map<String, Double> row = new LinkedHashMap<>();
    row.put("epoch", (double) epoch);
    row.put("lr", baseLr * lrFactor);
    for (int p = 0; p < params.size(); p++) {
      row.put("weight_norm:" + params.get(p).name(), Math.sqrt(Kernels.sumOfSquares(params.get(p).value().data())));
    }
    for (int p = 0; p < params.size(); p++) row.put("grad_norm:" + params.get(p).name(), steps == 0 ? Double.NaN : gradNormSums[p] / steps);
    for (int p = 0; p < params.size(); p++) row.put("update_ratio:" + params.get(p).name(), updateRatios[p]);
    for (int r = 0; r < reluLayers.length; r++) {
      int dead = 0;
      for (boolean f : fired[r]) if (!f) dead++;
      row.put("dead_fraction:" + layerNames.get(reluLayers[r]), steps == 0 ? Double.NaN : dead / (double) fired[r].length);
    }
    model.forward(probe, Pass.INFERENCE);
    for (int i = 0; i < layerNames.size(); i++) {
      float[] v = model.outputOf(i).data();
      int size = probe.rows() * model.shapes().get(i + 1).size();
      double sum = 0;
      for (int k = 0; k < size; k++) sum += v[k];
      double mean = sum / size;
      double sq = 0;
      for (int k = 0; k < size; k++) sq += (v[k] - mean) * (v[k] - mean);
      row.put("activation_mean:" + layerNames.get(i), mean);
      row.put("activation_std:" + layerNames.get(i), Math.sqrt(sq / size));
    }
    return row;
  }
}
