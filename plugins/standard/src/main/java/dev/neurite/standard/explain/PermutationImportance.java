package dev.neurite.standard.explain;

import com.google.inject.Inject;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Doc("Permutation importance (Breiman 2001; as scikit-learn's permutation_importance): how much worse each of the run's "
    + "metrics gets on the split when one feature group's values are shuffled across the rows, mean and standard deviation "
    + "over repeats; groups are features (tabular data), channels, or square patches of every channel (images)")
@Example("repeats: 2")
public final class PermutationImportance implements Explainer.Global {
  public enum Group { AUTO, FEATURE, CHANNEL, PATCH }

  public record Params(
      @Doc("shuffles per group") @Default("5") @Min(1) int repeats,
      @Doc("what is shuffled together: feature, channel or patch (images); auto is feature for tabular data, patch for images")
      @Default("auto") Group group,
      @Doc("patch: the square's side, in pixels") @Default("4") @Min(1) int patch) {}

  private final Params p;
  private final RandomStream random;

  @Inject
  public PermutationImportance(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public void check(Shape sample) {
    if ((p.group() == Group.CHANNEL || p.group() == Group.PATCH) && sample.rank() != 3) {
      throw new IllegalArgumentException("group: " + p.group().name().toLowerCase() + " needs images ([channels, height, width] samples), "
          + "but the samples have shape " + sample + "; use feature");
    }
  }

  @Override
  public Importance importance(ExplainedModel model, Dataset data, Scoring scoring) {
    Shape sample = data.sampleShape();
    int n = data.size();
    int per = sample.size();
    Tensor features = Tensor.zeros(sample.prepend(n));
    Tensor targets = Tensor.zeros(data.targetShape().prepend(n));
    for (int r = 0; r < n; r++) data.read(r, features.data(), r * per, targets.data(), r * targets.rowSize());
    List<String> names = new ArrayList<>();
    List<int[]> groups = groups(sample, data.featureNames(), names);

    Map<String, Double> baseline = scoring.score(new Dataset.InMemory(features, targets, data.featureNames(), Map.of()));
    Tensor shuffled = features.copy();
    Dataset view = new Dataset.InMemory(shuffled, targets, data.featureNames(), Map.of());
    Map<String, double[]> sum = new LinkedHashMap<>();
    Map<String, double[]> sumSq = new LinkedHashMap<>();
    baseline.keySet().forEach(m -> {
      sum.put(m, new double[groups.size()]);
      sumSq.put(m, new double[groups.size()]);
    });
    float[] x = features.data();
    float[] s = shuffled.data();
    int[] order = new int[n];
    for (int g = 0; g < groups.size(); g++) {
      for (int repeat = 0; repeat < p.repeats(); repeat++) {
        for (int i = 0; i < n; i++) order[i] = i;
        random.shuffle(order);
        for (int i = 0; i < n; i++) {
          for (int f : groups.get(g)) s[i * per + f] = x[order[i] * per + f];
        }
        Map<String, Double> score = scoring.score(view);
        for (Map.Entry<String, Double> e : baseline.entrySet()) {
          double worse = scoring.higherIsBetter(e.getKey()) ? e.getValue() - score.get(e.getKey()) : score.get(e.getKey()) - e.getValue();
          sum.get(e.getKey())[g] += worse;
          sumSq.get(e.getKey())[g] += worse * worse;
        }
      }
      for (int i = 0; i < n; i++) { // put the group back before the next one is shuffled
        for (int f : groups.get(g)) s[i * per + f] = x[i * per + f];
      }
    }
    Map<String, double[]> mean = new LinkedHashMap<>();
    Map<String, double[]> std = new LinkedHashMap<>();
    for (String m : baseline.keySet()) {
      double[] mu = new double[groups.size()];
      double[] sd = new double[groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        mu[g] = sum.get(m)[g] / p.repeats();
        sd[g] = Math.sqrt(Math.max(0, sumSq.get(m)[g] / p.repeats() - mu[g] * mu[g])); // numpy's std (ddof 0), as scikit-learn
      }
      mean.put(m, mu);
      std.put(m, sd);
    }
    return new Importance(names, baseline, mean, std);
  }

  /** The feature indices of each group, and the groups' names. */
  private List<int[]> groups(Shape sample, List<String> featureNames, List<String> names) {
    Group g = p.group();
    boolean image = sample.rank() == 3;
    if (g == Group.AUTO) g = image ? Group.PATCH : Group.FEATURE;
    check(sample);
    List<int[]> groups = new ArrayList<>();
    int per = sample.size();
    switch (g) {
      case FEATURE -> {
        for (int f = 0; f < per; f++) {
          groups.add(new int[] {f});
          names.add(featureNames.size() == per ? featureNames.get(f) : "x" + f);
        }
      }
      case CHANNEL -> {
        int area = per / sample.dim(0);
        for (int c = 0; c < sample.dim(0); c++) {
          int[] members = new int[area];
          for (int i = 0; i < area; i++) members[i] = c * area + i;
          groups.add(members);
          names.add("channel " + c);
        }
      }
      default -> {
        int c = sample.dim(0);
        int h = sample.dim(1);
        int w = sample.dim(2);
        for (int y0 = 0; y0 < h; y0 += p.patch()) {
          for (int x0 = 0; x0 < w; x0 += p.patch()) {
            int y1 = Math.min(h, y0 + p.patch());
            int x1 = Math.min(w, x0 + p.patch());
            int[] members = new int[c * (y1 - y0) * (x1 - x0)];
            int k = 0;
            for (int ch = 0; ch < c; ch++) {
              for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) members[k++] = (ch * h + y) * w + x;
            }
            groups.add(members);
            names.add("rows " + y0 + "-" + (y1 - 1) + ", columns " + x0 + "-" + (x1 - 1));
          }
        }
      }
    }
    return groups;
  }
}
