package dev.neurite.standard.explain;

import dev.neurite.spi.Doc;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Explainer;
import dev.neurite.tensor.Tensor;

@Doc("Gradient x input (Shrikumar et al. 2016): d output / d input times the input, each value's first-order share of the "
    + "output (Captum's InputXGradient); signed")
public final class GradientTimesInput implements Explainer.Local {
  @Override
  public Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets) {
    Tensor g = model.gradient(inputs, targets);
    float[] v = g.data();
    float[] x = inputs.data();
    for (int i = 0; i < v.length; i++) v[i] *= x[i];
    return new Attributions(g);
  }
}
