package dev.neurite.standard.explain;

import dev.neurite.spi.Doc;
import dev.neurite.spi.ExplainedModel;
import dev.neurite.spi.Explainer;
import dev.neurite.tensor.Tensor;

@Doc("Saliency (Simonyan et al. 2014): |d output / d input|, how sensitive the explained output is to each input value "
    + "(Captum's Saliency with abs=True)")
public final class Saliency implements Explainer.Local {
  @Override
  public Attributions attribute(ExplainedModel model, Tensor inputs, int[] targets) {
    Tensor g = model.gradient(inputs, targets);
    float[] v = g.data();
    for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
    return new Attributions(g);
  }
}
