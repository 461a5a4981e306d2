package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

/**
 * A layer that merges several tensors ({@code add}, {@code concat}). In a config it names its inputs:
 * {@code {type: add, inputs: [block_in, branch]}}. Used with a single input it behaves as a
 * {@link Layer} of that input.
 */
public interface MultiInputLayer extends Layer {
  /** Validates the per-sample input shapes, creates params, returns the output shape. */
  Shape build(List<Shape> inputs, BuildContext ctx);

  /** The output for these inputs, in the order of the config's {@code inputs:}; the list is the caller's and reused. */
  Tensor forward(List<Tensor> inputs, Pass pass);

  /** d(loss)/d(input) for each input, in order. The list (and its tensors) may be reused by the next call. */
  List<Tensor> backwardAll(Tensor gradOutput);

  @Override
  default Shape build(Shape input, BuildContext ctx) {
    return build(List.of(input), ctx);
  }

  @Override
  default Tensor forward(Tensor input, Pass pass) {
    return forward(List.of(input), pass);
  }

  @Override
  default Tensor backward(Tensor gradOutput) {
    return backwardAll(gradOutput).get(0);
  }
}
