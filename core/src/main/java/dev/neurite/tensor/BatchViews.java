package dev.neurite.tensor;

/**
 * A layer's views of its input batches under another per-sample shape (flatten, reshape),
 * remembered by data array: viewing the same batch again, or one of the few buffers a data loader
 * alternates between, returns the view made before instead of a new object.
 */
public final class BatchViews {
  private final Tensor[] views = new Tensor[4];
  private int next;

  /** {@code x}'s data as a batch of {@code x.rows()} samples of shape {@code sample}. */
  public Tensor of(Tensor x, Shape sample) {
    for (Tensor v : views) {
      if (v != null && v.data() == x.data() && v.shape().isBatchOf(x.rows(), sample)) return v;
    }
    Tensor v = x.reshape(sample.prepend(x.rows()));
    views[next] = v;
    next = (next + 1) % views.length;
    return v;
  }
}
