package dev.neurite.standard.explain;

import com.google.inject.Inject;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Min;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

@Doc("Integrated gradients (Sundararajan et al. 2017): (x - x') times the gradient averaged along the straight path from "
    + "a baseline x' to x, by the trapezoid rule; the attributions add up to f(x) - f(x'), and the per-sample "
    + "completeness error says how nearly (Captum's convergence delta)")
@Example("steps: 16")
public final class IntegratedGradients implements Explainer.Local {
  public enum Baseline { ZEROS, MEAN, BLUR }

  public record Params(
      @Doc("the path's intervals: the gradient is taken at steps + 1 points") @Default("50") @Min(1) int steps,
      @Doc("the baseline x': zeros, mean (the training split's mean sample) or blur (each image blurred; images only)")
      @Default("zeros") Baseline baseline,
      @Doc("blur's Gaussian standard deviation, in pixels") @Default("5") @Min(value = 0, exclusive = true) double blurSigma) {}

  private final Params p;

  @Inject
  public IntegratedGradients(Params params) {
    this.p = params;
  }

  @Override
  public void check(Shape sample) {
    if (p.baseline() == Baseline.BLUR && sample.rank() != 3) {
      throw new IllegalArgumentException("baseline: blur needs images ([channels, height, width] samples), but the samples have shape "
          + sample + "; use zeros or mean");
    }
  }

  @Override
  public Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets) {
    check(model.sampleShape());
    Tensor baseline = Baselines.of(p.baseline(), model, inputs, p.blurSigma());
    float[] x = inputs.data();
    float[] b = baseline.data();
    int n = inputs.size();
    double[] sum = new double[n];
    Tensor point = Tensor.zeros(inputs.shape());
    float[] at = point.data();
    for (int k = 0; k <= p.steps(); k++) {
      float alpha = (float) k / p.steps();
      for (int i = 0; i < n; i++) at[i] = b[i] + alpha * (x[i] - b[i]);
      float[] g = model.gradient(point, targets).data();
      double weight = k == 0 || k == p.steps() ? 0.5 : 1.0; // the trapezoid rule's end points count half
      for (int i = 0; i < n; i++) sum[i] += weight * g[i];
    }
    Tensor values = Tensor.zeros(inputs.shape());
    float[] v = values.data();
    for (int i = 0; i < n; i++) v[i] = (float) ((x[i] - b[i]) * sum[i] / p.steps());

    // completeness: sum of the attributions minus (f(x) - f(x'))
    Tensor fx = model.outputs(inputs);
    Tensor fb = model.outputs(baseline);
    int rows = inputs.rows();
    int per = inputs.rowSize();
    double[] difference = new double[rows];
    double[] error = new double[rows];
    for (int s = 0; s < rows; s++) {
      difference[s] = fx.data()[s * fx.rowSize() + targets[s]] - fb.data()[s * fb.rowSize() + targets[s]];
      double total = 0;
      for (int i = 0; i < per; i++) total += v[s * per + i];
      error[s] = total - difference[s];
    }
    Map<String, double[]> report = new LinkedHashMap<>();
    report.put("output_difference", difference);
    report.put("completeness_error", error);
    return new Attributions(values, report);
  }
}
