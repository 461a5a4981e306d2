package dev.neurite.spi;

import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;

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

  /**
   * What a layer's outputs are, for a loss that must know: a loss that applies its own softmax refuses
   * a model whose outputs are already {@link #SOFTMAX}, and nll needs {@link #LOG_SOFTMAX}.
   */
  enum Outputs {
    /** Anything else: scores, features, values. */
    VALUES,
    /** Probabilities over the last axis (a softmax or another normalization to 1). */
    SOFTMAX,
    /** Log-probabilities over the last axis. */
    LOG_SOFTMAX,
    /** Independent probabilities in (0, 1), one per output. */
    SIGMOID
  }

  /**
   * What this layer's outputs are; {@link Outputs#VALUES} unless overridden. A layer that applies an
   * activation to its own output (dense's {@code activation:}) answers for the activation.
   */
  default Outputs outputs() {
    return Outputs.VALUES;
  }

  /**
   * Multiply-adds per sample of one forward pass, for the model summary (as Keras and fvcore count them:
   * a dense layer's in x out, a convolution's kernel volume x output values); 0, the default, for
   * layers whose cost is a few operations per value.
   */
  default long multiplyAdds(Shape input, Shape output) {
    return 0;
  }

  /**
   * For a layer that reads token indices rather than real values ({@code embedding}): how many tokens
   * there are, so that its inputs are whole numbers 0 .. tokenInputs() - 1; 0, the default, for a layer
   * of real-valued inputs. The kit's checks feed such a layer indices and expect a zero input gradient.
   */
  default int tokenInputs() {
    return 0;
  }

  /**
   * How a layer treats a {@link StepMask} on its input's first axis (time), which the model checks when it
   * is built: a masked sequence may only reach layers that say what they do with it.
   */
  enum Masking {
    /** The default: a masked input is refused when the model is built (its padded steps would count as real). */
    REFUSES,
    /** Output step t belongs to input step t, so the mask passes on to the next layer (dense, activations, attention, a recurrence's every step). */
    KEEPS,
    /** The layer honours the mask and its output has no time axis left (a recurrence's last state, global pooling, last). */
    ENDS,
    /** The layer finds padding in its own input and starts a mask (embedding with a padding index): see {@link #outputMask}. */
    STARTS
  }

  /** How this layer treats a padding mask; {@link Masking#REFUSES} unless overridden. Asked after {@link #build}. */
  default Masking masking() {
    return Masking.REFUSES;
  }

  /**
   * Called before every {@link #forward} of a layer whose {@link #masking()} is {@link Masking#KEEPS} or
   * {@link Masking#ENDS}: the padding of the coming input's steps, or null when the batch has none. The
   * mask stays valid until the next call, so {@link #backward} may read it too.
   */
  default void mask(StepMask mask) {}

  /** For a layer that {@link Masking#STARTS} a mask: the padding it found in the input of its last forward pass, or null when there was none. */
  default StepMask outputMask() {
    return null;
  }

  /** What a model's outputs are: its last layer's {@link #outputs()}. */
  static Outputs outputsOf(List<Layer> model) {
    return model.get(model.size() - 1).outputs();
  }
}
