package dev.neurite.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first; immutable, compared by value. Layers see per-sample
 * shapes (no batch dimension): {@code [64]} for a feature vector, {@code [1, 28, 28]} for a grey
 * image ({@code [channels, height, width]}). {@link #prepend} adds a batch dimension,
 * {@link #dropFirst} removes it.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    for (int d : dims) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
    }
    this.dims = dims;
  }

  /** The shape with these dimensions (none: a scalar); negative ones are refused. */
  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** The size of dimension {@code axis}, counted from 0, outermost first. */
  public int dim(int axis) {
    return dims[axis];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements: the product of the dimensions (1 for a scalar shape). */
  public int size() {
    int n = 1;
    for (int d : dims) n = Math.multiplyExact(n, d);
    return n;
  }

  /** This shape with {@code outer} prepended, e.g. a batch dimension. */
  public Shape prepend(int outer) {
    int[] d = new int[dims.length + 1];
    d[0] = outer;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return new Shape(d);
  }

  /** This shape without its first dimension. */
  public Shape dropFirst() {
    if (dims.length == 0) throw new IllegalStateException("a scalar shape has no first dimension");
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** Whether this is {@code sample} with a batch dimension of {@code n} prepended (allocates nothing). */
  public boolean isBatchOf(int n, Shape sample) {
    if (dims.length != sample.dims.length + 1 || dims[0] != n) return false;
    for (int i = 0; i < sample.dims.length; i++) {
      if (dims[i + 1] != sample.dims[i]) return false;
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
