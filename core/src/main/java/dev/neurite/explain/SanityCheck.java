package dev.neurite.explain;

import dev.neurite.nn.Model;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Stateful;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model-randomization test of Adebayo et al. 2018, "Sanity Checks for Saliency Maps": the layers'
 * weights are put back to their initializers' values from the top layer down, one layer at a time, and
 * after each step the attributions are compared with the trained model's by Spearman rank correlation of
 * their magnitudes (per sample, then averaged). A method whose maps barely change explains the input,
 * not the model.
 */
public final class SanityCheck {
  /** Above this mean rank correlation with the fully randomized model, a method is reported as insensitive. */
  public static final double INSENSITIVE = 0.5;

  /** After randomizing the layers from {@code fromLayer} up: the mean rank correlation with the trained model's attributions. */
  public record Step(int fromLayer, double spearman) {}

  /** One method's cascade, top layer first; {@link #full()} is the last step (every layer randomized). */
  public record Outcome(String method, List<Step> cascade) {
    public double full() {
      return cascade.isEmpty() ? Double.NaN : cascade.get(cascade.size() - 1).spearman();
    }
  }

  private SanityCheck() {}

  /**
   * Runs the cascade for each local method on {@code inputs}. {@code untrained} is a second model of
   * the same architecture holding the initializers' values; it is changed (it ends fully randomized).
   */
  public static List<Outcome> modelRandomization(Model trained, Model untrained, ModelView trainedView, Tensor inputs, int[] targets,
                                                 List<Explanation.MethodResult> results) {
    Map<String, float[]> random = new LinkedHashMap<>();
    for (Param p : untrained.params()) random.put(p.name(), p.value().data().clone());
    copy(trained, untrained);
    // the layers with params, top down
    TreeMap<Integer, List<Param>> byLayer = new TreeMap<>();
    for (Param p : untrained.params()) byLayer.computeIfAbsent(layerOf(p.name()), k -> new ArrayList<>()).add(p);
    List<Integer> topDown = new ArrayList<>(byLayer.descendingKeySet());
    ModelView view = new ModelView(untrained, trainedView.sampleShape(), trainedView.trainingMean());
    Map<String, List<Step>> cascades = new LinkedHashMap<>();
    for (Explanation.MethodResult r : results) if (r.attributions() != null) cascades.put(r.method().name(), new ArrayList<>());
    for (int layer : topDown) {
      for (Param p : byLayer.get(layer)) System.arraycopy(random.get(p.name()), 0, p.value().data(), 0, p.value().size());
      for (Explanation.MethodResult r : results) {
        if (r.attributions() == null) continue;
        Tensor randomized = ((Explainer.Local) r.method().explainer()).attribute(view, inputs, targets).values();
        cascades.get(r.method().name()).add(new Step(layer, meanSpearman(r.attributions(), randomized)));
      }
    }
    List<Outcome> out = new ArrayList<>();
    cascades.forEach((method, steps) -> out.add(new Outcome(method, steps)));
    return out;
  }

  /** Copies the params and layer states (batch norm's running statistics) of {@code from} into {@code to}. */
  private static void copy(Model from, Model to) {
    List<Param> a = from.params();
    List<Param> b = to.params();
    for (int i = 0; i < a.size(); i++) System.arraycopy(a.get(i).value().data(), 0, b.get(i).value().data(), 0, a.get(i).value().size());
    List<Layer> la = from.layers();
    List<Layer> lb = to.layers();
    for (int i = 0; i < la.size(); i++) {
      if (la.get(i) instanceof Stateful s && lb.get(i) instanceof Stateful t) t.load(s.state());
    }
  }

  /** The layer index in a param name {@code layers.3.weight}. */
  static int layerOf(String paramName) {
    String[] parts = paramName.split("\\.");
    return Integer.parseInt(parts[1]);
  }

  /** Spearman's rank correlation of |a| and |b| for each sample (row), averaged over the samples. */
  static double meanSpearman(Tensor a, Tensor b) {
    int rows = a.rows();
    int per = a.rowSize();
    double total = 0;
    int counted = 0;
    for (int s = 0; s < rows; s++) {
      double[] x = new double[per];
      double[] y = new double[per];
      for (int i = 0; i < per; i++) {
        x[i] = Math.abs(a.data()[s * per + i]);
        y[i] = Math.abs(b.data()[s * per + i]);
      }
      double rho = pearson(ranks(x), ranks(y));
      if (!Double.isNaN(rho)) {
        total += rho;
        counted++;
      }
    }
    return counted == 0 ? Double.NaN : total / counted;
  }

  /** Ranks from 1, ties sharing their average rank. */
  static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) order[i] = i;
    Arrays.sort(order, (i, j) -> Double.compare(v[i], v[j]));
    double[] rank = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
      double average = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) rank[order[k]] = average;
      i = j + 1;
    }
    return rank;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }
}
