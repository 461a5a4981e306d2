package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Layer;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The optional {@code activation:} of a layer ({@code {type: dense, units: 64, activation: relu}}):
 * applied to the layer's output and first in backward, so the numbers are exactly those of the
 * activation as a separate layer. It must be a parameter-free layer.
 */
public final class FusedActivation {
  private final Layer activation;

  FusedActivation(Optional<Layer> activation) {
    this.activation = activation.orElse(null);
  }

  /** Writes the activation after {@code output} in an exported ONNX graph (nothing without one). */
  String toOnnx(OnnxGraph graph, String output, Shape shape) {
    if (activation == null) return output;
    if (!(activation instanceof OnnxExportable e)) {
      throw new IllegalArgumentException("activation " + activation.getClass().getName() + " cannot be exported to ONNX");
    }
    return e.toOnnx(graph, List.of(output), java.util.Collections.singletonList(shape));
  }

  /** The fused activation, if any (a loss checks it against its own). */
  public Optional<Layer> layer() {
    return Optional.ofNullable(activation);
  }

  Shape build(Shape output, BuildContext ctx) {
    if (activation == null) return output;
    Shape out = activation.build(output, new BuildContext() {
      @Override
      public Param param(String localName, Shape shape, boolean decays) {
        throw new IllegalArgumentException("activation: must be a parameter-free layer such as relu or tanh");
      }

      @Override
      public String path() {
        return ctx.path() + ".activation";
      }
    });
    if (!out.equals(output)) throw new IllegalArgumentException("activation: must keep the shape " + output + ", it gives " + out);
    requireSameInTrainingAndInference(output);
    return out;
  }

  /**
   * An activation computes the same function while training and at inference; a layer that does
   * not (dropout, noise) belongs in the model as a layer of its own, where its place is explicit.
   */
  private void requireSameInTrainingAndInference(Shape output) {
    float[] probe = new float[2 * output.size()];
    for (int i = 0; i < probe.length; i++) probe[i] = (i % 7 - 3) * 0.37f;
    float[] training = activation.forward(Tensor.wrap(probe.clone(), output.prepend(2)), Pass.TRAINING).data().clone();
    float[] inference = activation.forward(Tensor.wrap(probe.clone(), output.prepend(2)), Pass.INFERENCE).data();
    if (!Arrays.equals(Arrays.copyOf(training, probe.length), Arrays.copyOf(inference, probe.length))) {
      throw new IllegalArgumentException("activation: " + activation.getClass().getSimpleName().toLowerCase(Locale.ROOT)
          + " computes something else while training than at inference, so it is not an activation; put it after this layer as a layer");
    }
  }

  Tensor forward(Tensor linear, Pass pass) {
    return activation == null ? linear : activation.forward(linear, pass);
  }

  Tensor backward(Tensor g) {
    return activation == null ? g : activation.backward(g);
  }

  /** The fused activation's outputs, or plain values without one. */
  Layer.Outputs outputs() {
    return activation == null ? Layer.Outputs.VALUES : activation.outputs();
  }
}
