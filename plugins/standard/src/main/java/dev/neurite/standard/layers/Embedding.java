package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Min;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("A learned vector per token: token indices [time] (whole numbers in 0..vocabulary-1) become [time, dimension], as "
    + "PyTorch's nn.Embedding with its weight [vocabulary, dimension] drawn from N(0, 1). The padding index's row starts "
    + "at zero and is never updated; max_norm rescales each looked-up row whose L2 norm exceeds it, in place, as PyTorch "
    + "does. The indices get no gradient. With a padding index, the steps that hold it are padding: a mask tells the "
    + "layers after it to skip them (a recurrence carries its state over them, attention ignores them, last and the "
    + "global poolings leave them out)")
@Example(value = "vocabulary: 5, dimension: 3", shape = 4)
public final class Embedding implements Layer, OnnxExportable {
  public record Params(
      @Doc("how many tokens: indices run from 0 to vocabulary - 1") @Min(1) int vocabulary,
      @Doc("the length of each token's vector") @Min(1) int dimension,
      @Doc("a token (the padding) whose vector stays zero and gets no gradient") Optional<Integer> paddingIndex,
      @Doc("rescale a looked-up vector whose L2 norm exceeds this to this norm") Optional<Double> maxNorm,
      @Doc("with a padding_index, mark the steps holding it as padding for the layers after this one (false: they are "
          + "ordinary steps, as in PyTorch without packed sequences)") @Default("true") boolean mask) {
    public Params {
      paddingIndex.ifPresent(p -> {
        if (p < 0 || p >= vocabulary) throw new IllegalArgumentException("padding_index must be in 0.." + (vocabulary - 1) + ", got " + p);
      });
      maxNorm.ifPresent(m -> {
        if (!(m > 0)) throw new IllegalArgumentException("max_norm must be positive, got " + m);
      });
    }
  }

  private final Params p;
  private final RandomStream random;
  private final int padding;
  private Param weight;
  private Shape inputShape;
  private Shape outputShape;
  private int steps;
  private Tensor indices;
  private Tensor output;
  private Tensor gradInput;
  private StepMask padded;

  @Inject
  public Embedding(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
    this.padding = params.paddingIndex().orElse(-1);
  }

  @Override
  public int tokenInputs() {
    return p.vocabulary();
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 1) {
      throw new IllegalArgumentException("embedding reads token indices [time], got " + input);
    }
    inputShape = input;
    steps = input.dim(0);
    outputShape = Shape.of(steps, p.dimension());
    weight = ctx.param("weight", Shape.of(p.vocabulary(), p.dimension()), true);
    float[] w = weight.value().data();
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
    if (padding >= 0) Arrays.fill(w, padding * p.dimension(), (padding + 1) * p.dimension(), 0f);
    return outputShape;
  }

  @Override
  public Masking masking() {
    return padding >= 0 && p.mask() ? Masking.STARTS : Masking.REFUSES;
  }

  @Override
  public StepMask outputMask() {
    return masking() == Masking.STARTS ? padded : null;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    int d = p.dimension();
    indices = x;
    if (masking() == Masking.STARTS) {
      padded = StepMask.reuse(padded, n, steps);
      float[] ids = x.data();
      for (int i = 0; i < n * steps; i++) if (ids[i] == padding) padded.set(i / steps, i % steps, false);
    }
    output = Tensor.reuse(output, n, outputShape);
    float[] ids = x.data();
    float[] w = weight.value().data();
    float[] out = output.data();
    for (int i = 0; i < n * steps; i++) {
      int token = token(ids[i], i);
      if (p.maxNorm().isPresent()) renormalize(w, token * d, d, p.maxNorm().get());
      System.arraycopy(w, token * d, out, i * d, d);
    }
    return output;
  }

  private int token(float id, int i) {
    int token = (int) id;
    if (token != id || token < 0 || token >= p.vocabulary()) {
      throw new IllegalArgumentException("embedding: token index " + id + " at position " + i % steps + " of sample " + i / steps
          + " is not a whole number in 0.." + (p.vocabulary() - 1) + "; the vocabulary has " + p.vocabulary() + " tokens");
    }
    return token;
  }

  /** PyTorch's embedding_renorm_: a row whose norm exceeds max is scaled by max / (norm + 1e-7). */
  private static void renormalize(float[] w, int from, int d, double max) {
    double sum = 0;
    for (int j = 0; j < d; j++) sum += (double) w[from + j] * w[from + j];
    double norm = Math.sqrt(sum);
    if (norm > max) {
      float scale = (float) (max / (norm + 1e-7));
      for (int j = 0; j < d; j++) w[from + j] *= scale;
    }
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    int d = p.dimension();
    float[] g = gradOutput.data();
    float[] ids = indices.data();
    float[] dw = weight.grad().data();
    for (int i = 0; i < n * steps; i++) { // in order: the sums of a repeated token are the same every run
      int token = (int) ids[i];
      if (token == padding) continue;
      int row = token * d;
      for (int j = 0; j < d; j++) dw[row + j] += g[i * d + j];
    }
    gradInput = Tensor.reuse(gradInput, n, inputShape); // indices are not differentiable: zero
    Arrays.fill(gradInput.data(), 0f);
    return gradInput;
  }

  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String ids = graph.node("Cast", List.of(inputs.get(0)), Map.of("to", 7)); // float indices to int64
    return graph.node("Gather", graph.constant("weight", weight.value()), ids);
  }
}
