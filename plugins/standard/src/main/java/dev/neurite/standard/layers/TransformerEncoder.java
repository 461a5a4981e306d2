package dev.neurite.standard.layers;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

@Doc("A Transformer encoder block over a sequence [time, dimension], as PyTorch's nn.TransformerEncoderLayer(batch_first=True): "
    + "self-attention and a feed-forward network (dense feedforward units with relu or gelu, then dense back to "
    + "dimension, on every step), each added to its input; post-norm (PyTorch's default): x = norm1(x + attention(x)), "
    + "x = norm2(x + ff(x)); pre-norm (norm_first): x = x + attention(norm1(x)), x = x + ff(norm2(x)). Params are PyTorch's "
    + "names with _ for . (self_attn_in_proj_weight, linear1_weight, norm1_weight, ...). A padding mask from an earlier layer is the "
    + "attention's key padding mask (as src_key_padding_mask). Stack blocks by listing several")
@Example(value = "heads: 2, feedforward: 8, dropout: 0.2", shape = {4, 6})
public final class TransformerEncoder implements Layer, OnnxExportable {
  public enum Activation { RELU, GELU }

  public record Params(
      @Doc("attention heads; the dimension must divide by it") @Min(1) int heads,
      @Doc("units of the feed-forward network's hidden layer (PyTorch's dim_feedforward)") @Default("2048") @Min(1) int feedforward,
      @Doc("relu or gelu, in the feed-forward network") @Default("relu") Activation activation,
      @Doc("normalize before attention and the feed-forward network (pre-norm) instead of after") @Default("false") boolean normFirst,
      @Doc("a step attends to itself and earlier steps only") @Default("false") boolean causal,
      @Doc("the layer norms' eps") @Default("1e-5") @Min(value = 0, exclusive = true) double eps,
      @Doc("while training, dropout at PyTorch's four places: on the attention weights, on the attention's output, after the "
          + "feed-forward activation and on its output (PyTorch's default is 0.1)") @Default("0") @Min(0) @Max(value = 1, exclusive = true)
      double dropout) {}

  private final Params p;
  private final MultiHeadAttention attention;
  private final LayerNorm norm1;
  private final LayerNorm norm2;
  private final Dense linear1;
  /** After the attention, after the feed-forward activation, after the feed-forward output (identities without dropout). */
  private final Dropout dropout1;
  private final Dropout dropoutHidden;
  private final Dropout dropout2;
  private final Initializer linear;
  private Dense linear2;
  private Shape shape;
  private Tensor sum1; // x + attention(...), before norm1 when post-norm
  private Tensor sum2; // x1 + ff(...), before norm2 when post-norm
  private Tensor grad1;
  private Tensor gradInput;

  @Inject
  public TransformerEncoder(Params params, RandomStream random) {
    this.p = params;
    this.attention = new MultiHeadAttention(new MultiHeadAttention.Params(params.heads(), params.causal(), true, params.dropout()), random);
    this.dropout1 = new Dropout(new Dropout.Params(params.dropout()), random);
    this.dropoutHidden = new Dropout(new Dropout.Params(params.dropout()), random);
    this.dropout2 = new Dropout(new Dropout.Params(params.dropout()), random);
    this.norm1 = new LayerNorm(new LayerNorm.Params(params.eps(), true));
    this.norm2 = new LayerNorm(new LayerNorm.Params(params.eps(), true));
    // nn.Linear's initialization: the weight uniform in [-1/sqrt(fan in), 1/sqrt(fan in)] (the bias starts at zero here)
    this.linear = (t, fanIn, fanOut) -> {
      double bound = 1 / Math.sqrt(fanIn);
      for (int i = 0; i < t.size(); i++) t.data()[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    };
    Layer act = params.activation() == Activation.RELU ? new Relu() : new Gelu(new Gelu.Params(Gelu.Approximate.NONE));
    this.linear1 = new Dense(new Dense.Params(params.feedforward(), linear, true, Optional.of(act)));
  }

  @Override
  public Shape build(Shape input, BuildContext ctx) {
    if (input.rank() != 2) throw new IllegalArgumentException("transformer_encoder reads a sequence [time, dimension], got " + input);
    shape = input;
    attention.build(input, part(ctx, "self_attn_"));
    Shape hidden = linear1.build(input, part(ctx, "linear1_"));
    linear2 = new Dense(new Dense.Params(input.dim(1), linear, true, Optional.empty()));
    linear2.build(hidden, part(ctx, "linear2_"));
    norm1.build(input, part(ctx, "norm1_"));
    norm2.build(input, part(ctx, "norm2_"));
    return input;
  }

  @Override
  public long multiplyAdds(Shape input, Shape output) {
    return attention.multiplyAdds(input, input) + 2L * input.dim(0) * input.dim(1) * p.feedforward();
  }

  /** The context of a part: its params named {@code <prefix><name>}, its input gradient always needed. */
  private static BuildContext part(BuildContext ctx, String prefix) {
    return new BuildContext() {
      @Override
      public Param param(String localName, Shape s, boolean decays) {
        return ctx.param(prefix + localName, s, decays);
      }

      @Override
      public String path() {
        return ctx.path();
      }
    };
  }

  private static Tensor add(Tensor into, Tensor a, Tensor b) {
    float[] x = a.data();
    float[] y = b.data();
    float[] out = into.data();
    for (int i = 0; i < out.length; i++) out[i] = x[i] + y[i];
    return into;
  }

  private Tensor feedForward(Tensor x, Pass pass) {
    return dropout2.forward(linear2.forward(dropoutHidden.forward(linear1.forward(x, pass), pass), pass), pass);
  }

  private Tensor feedForwardBackward(Tensor g) {
    return linear1.backward(dropoutHidden.backward(linear2.backward(dropout2.backward(g))));
  }

  private Tensor attend(Tensor x, Pass pass) {
    return dropout1.forward(attention.forward(x, pass), pass);
  }

  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public void mask(dev.neurite.spi.StepMask mask) {
    attention.mask(mask);
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    sum1 = Tensor.reuse(sum1, n, shape);
    sum2 = Tensor.reuse(sum2, n, shape);
    if (p.normFirst()) {
      add(sum1, x, attend(norm1.forward(x, pass), pass));
      return add(sum2, sum1, feedForward(norm2.forward(sum1, pass), pass));
    }
    Tensor x1 = norm1.forward(add(sum1, x, attend(x, pass)), pass);
    return norm2.forward(add(sum2, x1, feedForward(x1, pass)), pass);
  }

  @Override
  public Tensor backward(Tensor g) {
    int n = g.rows();
    grad1 = Tensor.reuse(grad1, n, shape);
    gradInput = Tensor.reuse(gradInput, n, shape);
    if (p.normFirst()) {
      add(grad1, g, norm2.backward(feedForwardBackward(g)));
      return add(gradInput, grad1, norm1.backward(attention.backward(dropout1.backward(grad1))));
    }
    Tensor gSum2 = norm2.backward(g);
    add(grad1, gSum2, feedForwardBackward(gSum2));
    Tensor gSum1 = norm1.backward(grad1);
    return add(gradInput, gSum1, attention.backward(dropout1.backward(gSum1)));
  }

  /** The parts' own nodes, joined by Adds, in the same order as forward. */
  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = inputs.get(0);
    List<Shape> shapes = List.of(shape);
    if (p.normFirst()) {
      String x1 = graph.node("Add", x, attention.toOnnx(graph, List.of(norm1.toOnnx(graph, List.of(x), shapes)), shapes));
      return graph.node("Add", x1, feedForwardOnnx(graph, norm2.toOnnx(graph, List.of(x1), shapes)));
    }
    String x1 = norm1.toOnnx(graph, List.of(graph.node("Add", x, attention.toOnnx(graph, List.of(x), shapes))), shapes);
    return norm2.toOnnx(graph, List.of(graph.node("Add", x1, feedForwardOnnx(graph, x1))), shapes);
  }

  private String feedForwardOnnx(OnnxGraph graph, String x) {
    String hidden = linear1.toOnnx(graph, List.of(x), List.of(shape));
    return linear2.toOnnx(graph, List.of(hidden), List.of(Shape.of(shape.dim(0), p.feedforward())));
  }
}
