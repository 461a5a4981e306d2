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

@Doc("Occlusion (Zeiler and Fergus 2014), for images: a window of fill values slides over the image (all channels at once); "
    + "each pixel's attribution is the mean drop of the explained output over the windows that cover it (Captum's Occlusion)")
@Example(value = "window: 2, stride: 1", shape = {1, 4, 4})
public final class Occlusion implements Explainer.Local {
  public record Params(
      @Doc("the window's side, in pixels") @Default("4") @Min(1) int window,
      @Doc("the step between windows, in pixels") @Default("2") @Min(1) int stride,
      @Doc("the value occluded pixels take") @Default("0") double fill) {}

  private final Params p;

  @Inject
  public Occlusion(Params params) {
    this.p = params;
  }

  @Override
  public void check(Shape sample) {
    if (sample.rank() != 3) {
      throw new IllegalArgumentException("needs images ([channels, height, width] samples), but the samples have shape "
          + sample + "; for tabular data use permutation importance or a gradient method");
    }
    if (p.window() > sample.dim(1) || p.window() > sample.dim(2)) {
      throw new IllegalArgumentException("window " + p.window() + " is larger than the " + sample.dim(1) + "x"
          + sample.dim(2) + " images");
    }
  }

  @Override
  public Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets) {
    Shape sample = model.sampleShape();
    check(sample);
    int c = sample.dim(0);
    int h = sample.dim(1);
    int w = sample.dim(2);
    int rows = inputs.rows();
    int per = inputs.rowSize();
    float[] base = outputsAt(model.outputs(inputs), targets);
    double[] sum = new double[inputs.size()];
    int[] count = new int[h * w];
    Tensor occluded = Tensor.zeros(inputs.shape());
    float[] o = occluded.data();
    for (int y0 = 0; y0 + p.window() <= h; y0 += p.stride()) {
      for (int x0 = 0; x0 + p.window() <= w; x0 += p.stride()) {
        System.arraycopy(inputs.data(), 0, o, 0, o.length);
        for (int s = 0; s < rows; s++) {
          for (int ch = 0; ch < c; ch++) {
            for (int y = y0; y < y0 + p.window(); y++) {
              for (int x = x0; x < x0 + p.window(); x++) o[s * per + (ch * h + y) * w + x] = (float) p.fill();
            }
          }
        }
        float[] after = outputsAt(model.outputs(occluded), targets);
        for (int y = y0; y < y0 + p.window(); y++) {
          for (int x = x0; x < x0 + p.window(); x++) {
            count[y * w + x]++;
            for (int s = 0; s < rows; s++) {
              double drop = base[s] - after[s];
              for (int ch = 0; ch < c; ch++) sum[s * per + (ch * h + y) * w + x] += drop;
            }
          }
        }
      }
    }
    Tensor values = Tensor.zeros(inputs.shape());
    float[] v = values.data();
    for (int i = 0; i < v.length; i++) {
      int pixel = i % (h * w);
      v[i] = count[pixel] == 0 ? 0f : (float) (sum[i] / count[pixel]);
    }
    return new Attributions(values);
  }

  private static float[] outputsAt(Tensor outputs, int[] targets) {
    float[] out = new float[targets.length];
    for (int s = 0; s < targets.length; s++) out[s] = outputs.data()[s * outputs.rowSize() + targets[s]];
    return out;
  }
}
