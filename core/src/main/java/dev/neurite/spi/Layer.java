package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/**
 * One step of a network, Caffe-style: it owns its math. Shapes here are per sample; tensors passed
 * to forward and backward carry the batch as their first dimension.
 *
 * <p>A layer that cannot accept its input shape throws {@link IllegalArgumentException} from
 * {@link #build} with a message naming what it expected; the engine adds the layer's config path
 * and position.
 */
public interface Layer {
  /** Called once: validates the input shape, creates params through {@code ctx}, returns the output shape. */
  Shape build(Shape input, BuildContext ctx);

  /** Computes the output and keeps what backward will need. The returned tensor may be reused by the next call. */
  Tensor forward(Tensor input, Pass pass);

  /**
   * Given d(loss)/d(output) for the last forward pass, adds the parameter gradients into the
   * params' {@code grad} tensors and returns d(loss)/d(input).
   */
  Tensor backward(Tensor gradOutput);
}
