package dev.neurite.standard.layers;

import static dev.neurite.tensor.Kernels.Op.AS_IS;
import static dev.neurite.tensor.Kernels.Op.TRANSPOSED;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.OnnxExportable;
import dev.neurite.spi.OnnxGraph;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.StepMask;
import dev.neurite.tensor.Kernels;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Doc("Multi-head self-attention over a sequence [time, dimension], as PyTorch's nn.MultiheadAttention(batch_first=True) "
    + "called with the sequence as query, key and value: Q, K, V = x in_proj_weight^T + in_proj_bias, split into heads; per "
    + "head softmax(Q K^T / sqrt(dimension / heads)) V; the heads concatenated, then out_proj. causal masks each step's "
    + "later steps (as attn_mask = an upper triangle of -inf); a padding mask from an earlier layer keeps every step from "
    + "attending to padded steps (as key_padding_mask), and a step with nothing to attend to gives out_proj_bias. dropout drops "
    + "attention weights while training. Params in_proj_weight [3 dimension, dimension] "
    + "(Xavier-uniform), in_proj_bias, out_proj_weight [dimension, dimension] and out_proj_bias (PyTorch's out_proj.weight "
    + "and out_proj.bias)")
@Example(value = "heads: 2, dropout: 0.2", shape = {4, 6})
public final class MultiHeadAttention implements Layer, OnnxExportable {
  public record Params(
      @Doc("attention heads; the dimension must divide by it") @Min(1) int heads,
      @Doc("a step attends to itself and earlier steps only") @Default("false") boolean causal,
      @Doc("learn in_proj_bias and out_proj_bias") @Default("true") boolean bias,
      @Doc("while training, drop each attention weight with this probability and scale the rest by 1/(1-dropout), as "
          + "nn.MultiheadAttention's dropout") @Default("0") @Min(0) @Max(value = 1, exclusive = true) double dropout) {
    /** Without attention dropout. */
    public Params(int heads, boolean causal, boolean bias) {
      this(heads, causal, bias, 0);
    }
  }

  private final Params p;
  private final RandomStream random;
  private Param inWeight;
  private Param inBias;
  private Param outWeight;
  private Param outBias;
  private int steps;
  private int dim;
  private int headDim;
  private float scale;
  private Shape shape;
  private boolean inputGradient;
  private int capacity;
  // per batch: projections [n T, 3 E]; per (sample, head): Q, K, V [T, d] and the attention P [T, T]
  private float[] qkv;
  private float[] q;
  private float[] k;
  private float[] v;
  private float[] attention;
  /** While training with dropout: per attention weight, 0 (dropped) or 1/(1-dropout), and the weights after it. */
  private float[] keep;
  private float[] dropped;
  /** Whether the last forward pass dropped attention weights. */
  private boolean dropping;
  private float[] heads; // the heads' outputs concatenated [n T, E]
  private float[] qkvGrad;
  private float[] headsGrad;
  private float[] scratch; // [T, T]
  private float[] headGrad; // [T, d]: a head's output, then its output's gradient
  private float[] headRows; // [T, d]: a head's dQ, dK or dV
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;
  private StepMask mask;

  @Inject
  public MultiHeadAttention(Params params, RandomStream random) {
    this.p = params;
    this.random = random;
  }

  @Override
  public Shape build(Shape in, BuildContext ctx) {
    if (in.rank() != 2) throw new IllegalArgumentException("multi_head_attention reads a sequence [time, dimension], got " + in);
    steps = in.dim(0);
    dim = in.dim(1);
    if (dim % p.heads() != 0) {
      throw new IllegalArgumentException("multi_head_attention: the dimension " + dim + " does not divide into " + p.heads() + " heads");
    }
    headDim = dim / p.heads();
    scale = (float) (1 / Math.sqrt(headDim));
    shape = in;
    inputGradient = ctx.inputGradientNeeded();
    inWeight = ctx.param("in_proj_weight", Shape.of(3 * dim, dim), true);
    if (p.bias()) inBias = ctx.param("in_proj_bias", Shape.of(3 * dim), false);
    outWeight = ctx.param("out_proj_weight", Shape.of(dim, dim), true);
    if (p.bias()) outBias = ctx.param("out_proj_bias", Shape.of(dim), false);
    double xavier = Math.sqrt(6.0 / (dim + 3 * dim)); // PyTorch: xavier_uniform_ on the [3E, E] matrix
    for (int i = 0; i < inWeight.value().size(); i++) inWeight.value().data()[i] = (float) ((random.nextDouble() * 2 - 1) * xavier);
    double linear = 1 / Math.sqrt(dim); // PyTorch's nn.Linear bound for out_proj
    for (int i = 0; i < outWeight.value().size(); i++) outWeight.value().data()[i] = (float) ((random.nextDouble() * 2 - 1) * linear);
    return in;
  }

  @Override
  public long multiplyAdds(Shape in, Shape out) {
    return (long) steps * dim * dim * 4 + 2L * steps * steps * dim;
  }

  private void allocate(int n) {
    if (n <= capacity) return;
    capacity = n;
    qkv = new float[n * steps * 3 * dim];
    qkvGrad = new float[qkv.length];
    heads = new float[n * steps * dim];
    headsGrad = new float[heads.length];
    q = new float[n * p.heads() * steps * headDim];
    k = new float[q.length];
    v = new float[q.length];
    attention = new float[n * p.heads() * steps * steps];
    if (p.dropout() > 0) {
      keep = new float[attention.length];
      dropped = new float[attention.length];
    }
    scratch = new float[steps * steps];
    headGrad = new float[steps * headDim];
    headRows = new float[steps * headDim];
  }

  @Override
  public Masking masking() {
    return Masking.KEEPS;
  }

  @Override
  public void mask(StepMask mask) {
    this.mask = mask;
  }

  @Override
  public Tensor forward(Tensor x, Pass pass) {
    int n = x.rows();
    int rows = n * steps;
    allocate(n);
    input = x;
    dropping = pass.training() && p.dropout() > 0;
    Kernels.gemm(AS_IS, TRANSPOSED, rows, 3 * dim, dim, 1f, x.data(), 0, inWeight.value().data(), 0, 0f, qkv, 0);
    if (inBias != null) Kernels.addRowVector(qkv, rows, 3 * dim, inBias.value().data());
    int td = steps * headDim;
    for (int b = 0; b < n; b++) {
      for (int h = 0; h < p.heads(); h++) {
        int at = (b * p.heads() + h) * td;
        for (int t = 0; t < steps; t++) {
          int row = (b * steps + t) * 3 * dim + h * headDim;
          System.arraycopy(qkv, row, q, at + t * headDim, headDim);
          System.arraycopy(qkv, row + dim, k, at + t * headDim, headDim);
          System.arraycopy(qkv, row + 2 * dim, v, at + t * headDim, headDim);
        }
        int a = (b * p.heads() + h) * steps * steps;
        Kernels.gemm(AS_IS, TRANSPOSED, steps, steps, headDim, scale, q, at, k, at, 0f, attention, a);
        for (int i = 0; i < steps; i++) {
          int valid = p.causal() ? i + 1 : steps;
          if (mask != null) {
            for (int j = 0; j < valid; j++) if (!mask.real(b, j)) attention[a + i * steps + j] = Float.NEGATIVE_INFINITY;
          }
          softmaxRow(attention, a + i * steps, valid);
        }
        if (dropping) drop(a);
        Kernels.gemm(AS_IS, AS_IS, steps, headDim, steps, 1f, dropping ? dropped : attention, a, v, at, 0f, headGrad, 0); // [T, d] of this head
        for (int t = 0; t < steps; t++) System.arraycopy(headGrad, t * headDim, heads, (b * steps + t) * dim + h * headDim, headDim);
      }
    }
    output = Tensor.reuse(output, n, shape);
    Kernels.gemm(AS_IS, TRANSPOSED, rows, dim, dim, 1f, heads, 0, outWeight.value().data(), 0, 0f, output.data(), 0);
    if (outBias != null) Kernels.addRowVector(output.data(), rows, dim, outBias.value().data());
    return output;
  }

  /** Drops the attention weights of one (sample, head) block at {@code a}: {@link #dropped} = P times {@link #keep}. */
  private void drop(int a) {
    float scale = (float) (1 / (1 - p.dropout()));
    for (int i = a; i < a + steps * steps; i++) {
      keep[i] = random.nextFloat() < p.dropout() ? 0f : scale;
      dropped[i] = attention[i] * keep[i];
    }
  }

  /** Softmax of row[0 .. valid) in place (a padded key holds -infinity); the masked rest is 0, and so is a row of nothing but padding. */
  private void softmaxRow(float[] s, int from, int valid) {
    float max = Kernels.max(s, from, valid);
    if (max == Float.NEGATIVE_INFINITY) {
      Arrays.fill(s, from, from + steps, 0f);
      return;
    }
    double sum = 0;
    for (int j = 0; j < valid; j++) {
      float e = (float) Math.exp(s[from + j] - max);
      s[from + j] = e;
      sum += e;
    }
    float inv = (float) (1 / sum);
    for (int j = 0; j < valid; j++) s[from + j] *= inv;
    Arrays.fill(s, from + valid, from + steps, 0f);
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    int n = gradOutput.rows();
    int rows = n * steps;
    float[] g = gradOutput.data();
    Kernels.gemm(TRANSPOSED, AS_IS, dim, dim, rows, 1f, g, 0, heads, 0, 1f, outWeight.grad().data(), 0);
    if (outBias != null) Kernels.sumRowsInto(g, rows, dim, outBias.grad().data());
    Kernels.gemm(AS_IS, AS_IS, rows, dim, dim, 1f, g, 0, outWeight.value().data(), 0, 0f, headsGrad, 0);
    int td = steps * headDim;
    for (int b = 0; b < n; b++) {
      for (int h = 0; h < p.heads(); h++) {
        int at = (b * p.heads() + h) * td;
        int a = (b * p.heads() + h) * steps * steps;
        for (int t = 0; t < steps; t++) System.arraycopy(headsGrad, (b * steps + t) * dim + h * headDim, headGrad, t * headDim, headDim);
        // dV = P^T dO, written where V's rows go in the projections' gradient
        Kernels.gemm(AS_IS, TRANSPOSED, steps, steps, headDim, 1f, headGrad, 0, v, at, 0f, scratch, 0); // dP = dO V^T
        if (dropping) for (int i = 0; i < steps * steps; i++) scratch[i] *= keep[a + i]; // through the dropout
        for (int i = 0; i < steps; i++) { // dS = P (dP - sum_j dP P), then the scale
          int r = a + i * steps;
          double dot = 0;
          for (int j = 0; j < steps; j++) dot += (double) scratch[i * steps + j] * attention[r + j];
          for (int j = 0; j < steps; j++) scratch[i * steps + j] = attention[r + j] * (scratch[i * steps + j] - (float) dot) * scale;
        }
        int base = b * steps * 3 * dim + h * headDim;
        // dQ = dS K, dK = dS^T Q, dV = P^T dO: each [T, d], into the rows of qkvGrad
        Kernels.gemm(AS_IS, AS_IS, steps, headDim, steps, 1f, scratch, 0, k, at, 0f, headRows, 0);
        scatter(headRows, base);
        Kernels.gemm(TRANSPOSED, AS_IS, steps, headDim, steps, 1f, scratch, 0, q, at, 0f, headRows, 0);
        scatter(headRows, base + dim);
        Kernels.gemm(TRANSPOSED, AS_IS, steps, headDim, steps, 1f, dropping ? dropped : attention, a, headGrad, 0, 0f, headRows, 0);
        scatter(headRows, base + 2 * dim);
      }
    }
    Kernels.gemm(TRANSPOSED, AS_IS, 3 * dim, dim, rows, 1f, qkvGrad, 0, input.data(), 0, 1f, inWeight.grad().data(), 0);
    if (inBias != null) Kernels.sumRowsInto(qkvGrad, rows, 3 * dim, inBias.grad().data());
    if (!inputGradient) return null;
    gradInput = Tensor.reuse(gradInput, n, shape);
    Kernels.gemm(AS_IS, AS_IS, rows, dim, 3 * dim, 1f, qkvGrad, 0, inWeight.value().data(), 0, 0f, gradInput.data(), 0);
    return gradInput;
  }

  /** A head's [T, d] gradient into its columns of the projections' gradient, row by row. */
  private void scatter(float[] headRows, int base) {
    for (int t = 0; t < steps; t++) System.arraycopy(headRows, t * headDim, qkvGrad, base + t * 3 * dim, headDim);
  }

  /**
   * Q, K and V as three MatMuls, each split into heads ([batch, heads, time, d]); Softmax of Q K^T
   * times the scale (plus a constant of -infinity above the diagonal when causal), times V; the heads
   * joined and out_proj.
   */
  @Override
  public String toOnnx(OnnxGraph graph, List<String> inputs, List<Shape> inputShapes) {
    String x = inputs.get(0);
    String[] qkv = new String[3];
    float[] w = inWeight.value().data();
    for (int part = 0; part < 3; part++) {
      float[] t = new float[dim * dim]; // rows part*dim.. of in_proj_weight, transposed for MatMul
      for (int r = 0; r < dim; r++) for (int c = 0; c < dim; c++) t[c * dim + r] = w[(part * dim + r) * dim + c];
      String y = graph.node("MatMul", x, graph.constant("in_proj", Tensor.wrap(t, dim, dim)));
      if (inBias != null) {
        y = graph.node("Add", y, graph.constant("in_proj_bias", Tensor.wrap(Arrays.copyOfRange(inBias.value().data(), part * dim, (part + 1) * dim), dim)));
      }
      y = graph.node("Reshape", y, graph.ints("heads", 0, 0, p.heads(), headDim));
      qkv[part] = graph.node("Transpose", List.of(y), Map.of("perm", part == 1 ? new long[] {0, 2, 3, 1} : new long[] {0, 2, 1, 3}));
    }
    String scores = graph.node("Mul", graph.node("MatMul", qkv[0], qkv[1]), graph.constant("scale", Tensor.wrap(new float[] {scale}, 1)));
    if (p.causal()) {
      float[] mask = new float[steps * steps];
      for (int i = 0; i < steps; i++) for (int j = i + 1; j < steps; j++) mask[i * steps + j] = Float.NEGATIVE_INFINITY;
      scores = graph.node("Add", scores, graph.constant("causal_mask", Tensor.wrap(mask, steps, steps)));
    }
    String weights = graph.node("Softmax", List.of(scores), Map.of("axis", -1));
    String heads = graph.node("Transpose", List.of(graph.node("MatMul", weights, qkv[2])), Map.of("perm", new long[] {0, 2, 1, 3}));
    String joined = graph.node("Reshape", heads, graph.ints("joined", 0, 0, dim));
    float[] o = outWeight.value().data();
    float[] t = new float[dim * dim];
    for (int r = 0; r < dim; r++) for (int c = 0; c < dim; c++) t[c * dim + r] = o[r * dim + c];
    String y = graph.node("MatMul", joined, graph.constant("out_proj", Tensor.wrap(t, dim, dim)));
    return outBias != null ? graph.node("Add", y, graph.constant("out_proj_bias", outBias.value())) : y;
  }
}
