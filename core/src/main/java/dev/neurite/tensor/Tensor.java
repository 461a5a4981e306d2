package dev.neurite.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A dense float32 tensor in row-major order: a {@code float[]} and a {@link Shape}. The data array is
 * exposed on purpose: kernels and layers work on it directly, and element {@code [i, j, k]} of a
 * {@code [a, b, c]} tensor is {@code data()[(i * b + j) * c + k]}. Batched tensors carry the batch as
 * their first dimension: a batch of 32 images {@code [1, 28, 28]} is {@code [32, 1, 28, 28]}.
 *
 * <p>A tensor's shape never changes; its values do. Layers keep their outputs and gradients in
 * buffers from {@link #reuse}, so a warm training step creates no tensor ({@link #created()} counts
 * them). Not thread-safe: a tensor belongs to the layer that made it.
 */
public final class Tensor {
  private final float[] data;
  private final Shape shape;
  /**
   * The buffer {@link #reuse} made in place of this one for another batch size, and this one is its: an epoch's
   * smaller last batch and the full batches around it switch between the two without allocating.
   */
  private Tensor other;

  /** Tensors created so far in this JVM, see {@link #created()}. */
  private static final LongAdder CREATED = new LongAdder();

  private Tensor(float[] data, Shape shape) {
    CREATED.increment();
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "data has " + data.length + " elements but shape " + shape + " needs " + shape.size());
    }
    this.data = data;
    this.shape = shape;
  }

  /** A new tensor of {@code shape}, every value 0. */
  public static Tensor zeros(Shape shape) {
    return new Tensor(new float[shape.size()], shape);
  }

  /** A new tensor of these dimensions, every value 0. */
  public static Tensor zeros(int... dims) {
    return zeros(Shape.of(dims));
  }

  /** Wraps {@code data} without copying; its length must be the product of {@code dims}. */
  public static Tensor wrap(float[] data, int... dims) {
    return new Tensor(data, Shape.of(dims));
  }

  /** Wraps {@code data} without copying; its length must be {@code shape.size()}. */
  public static Tensor wrap(float[] data, Shape shape) {
    return new Tensor(data, shape);
  }

  /**
   * Returns {@code reuse} when it already has the wanted shape, else the buffer {@code reuse} last replaced, or was
   * replaced by, when that one has it, else a new zeroed tensor: layers keep their output buffers across batches
   * this way, two batch sizes included (see {@link #reuse(Tensor, int, Shape)}).
   */
  public static Tensor reuse(Tensor reuse, Shape shape) {
    if (reuse == null) return zeros(shape);
    if (reuse.shape.equals(shape)) return reuse;
    Tensor other = reuse.other;
    if (other != null && other.shape.equals(shape)) return other;
    return linked(reuse, zeros(shape));
  }

  /** {@code made}, linked with the buffer it replaces. */
  private static Tensor linked(Tensor replaced, Tensor made) {
    made.other = replaced;
    replaced.other = made;
    return made;
  }

  /**
   * Returns {@code reuse} when it already holds a batch of {@code n} samples of shape {@code sample}, else the
   * buffer {@code reuse} last replaced, or was replaced by, when that one does (its values are those it last
   * held, as {@code reuse}'s are), else a new zeroed one. So a layer alternating between two batch sizes (full
   * batches and an epoch's smaller last one) allocates only the first time it sees each.
   */
  public static Tensor reuse(Tensor reuse, int n, Shape sample) {
    if (reuse == null) return zeros(sample.prepend(n));
    if (reuse.shape.isBatchOf(n, sample)) return reuse;
    Tensor other = reuse.other;
    if (other != null && other.shape.isBatchOf(n, sample)) return other;
    return linked(reuse, zeros(sample.prepend(n)));
  }

  /**
   * How many tensors (buffers and views) this JVM has created so far, on every thread: a diagnostic
   * for tests and profiling. A warm training loop creates none per batch, since layers reuse their
   * buffers ({@link #reuse}) and views ({@link BatchViews}).
   */
  public static long created() {
    return CREATED.sum();
  }

  /** The values, row-major; writes change the tensor. */
  public float[] data() {
    return data;
  }

  /** The dimensions, the batch first for a batched tensor. */
  public Shape shape() {
    return shape;
  }

  /** The number of values: {@code shape().size()}. */
  public int size() {
    return data.length;
  }

  /** The first dimension: the batch size of a batched tensor. */
  public int rows() {
    return shape.dim(0);
  }

  /** Elements per row: the size of one sample of a batched tensor. */
  public int rowSize() {
    return shape.rank() == 0 ? 1 : data.length / Math.max(1, shape.dim(0));
  }

  /** The value at a flat row-major index. */
  public float get(int index) {
    return data[index];
  }

  /** Sets the value at a flat row-major index. */
  public void set(int index, float value) {
    data[index] = value;
  }

  /** Sets every value to {@code value}; returns this tensor. */
  public Tensor fill(float value) {
    Arrays.fill(data, value);
    return this;
  }

  /** A new tensor with a copy of the values. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape);
  }

  /** A tensor sharing this data under another shape of the same size. */
  public Tensor reshape(Shape newShape) {
    return new Tensor(data, newShape);
  }

  @Override
  public String toString() {
    int shown = Math.min(data.length, 8);
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
    for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
    return sb.append(data.length > shown ? ", ...]" : "]").toString();
  }
}
