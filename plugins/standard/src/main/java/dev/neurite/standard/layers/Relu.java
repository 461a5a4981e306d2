package dev.neurite.standard.layers;

import dev.neurite.tensor.Tensor;
import dev.neurite.tensor.Shape;
import java.util.Map;
import java.util.List;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Activation;
import dev.neurite.spi.Doc;
import dev.neurite.tensor.Kernels;

@Doc("Rectified linear unit: max(0, x)")
public final class Relu extends Activation implements OnnxExportable {
  @Override
  protected float apply(float x) {
    return x > 0f ? x : 0f;
  }

  @Override
  protected float derivative(float x, float y) {
    return x > 0f ? 1f : 0f;
  }

  // the loops over whole arrays, branch-free (Kernels): with signs at random, the branch per element
  // of the generic loop is mispredicted half the time
  @Override
  protected void applyAll(float[] in, float[] out) {
    Kernels.relu(in, out, in.length);
  }

  @Override
  protected void gradientAll(float[] x, float[] y, float[] go, float[] gi) {
    Kernels.reluGradient(x, go, gi, gi.length);
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    return graph.node("Relu", inputs.get(0));
  }
}
