package dev.neurite.standard.explain;

import dev.neurite.spi.ExplainedModel;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;

/** The reference inputs integrated gradients starts from: what "absence of signal" means for the data. */
final class Baselines {
  private Baselines() {}

  /** One baseline per sample, {@code [n, ...sample shape]}; blur needs image samples. */
  static Tensor of(IntegratedGradients.Baseline kind, ExplainedModel model, Tensor inputs, double sigma) {
    Tensor out = Tensor.zeros(inputs.shape());
    int per = inputs.rowSize();
    switch (kind) {
      case ZEROS -> { }
      case MEAN -> {
        float[] mean = model.trainingMean().data();
        for (int s = 0; s < inputs.rows(); s++) System.arraycopy(mean, 0, out.data(), s * per, per);
      }
      case BLUR -> {
        Shape sample = model.sampleShape(); // images: IntegratedGradients.check refuses anything else
        blur(inputs.data(), out.data(), inputs.rows() * sample.dim(0), sample.dim(1), sample.dim(2), sigma);
      }
    }
    return out;
  }

  /** A separable Gaussian blur of {@code planes} images of {@code h x w}, edges clamped. */
  static void blur(float[] in, float[] out, int planes, int h, int w, double sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
    for (int i = 0; i < k.length; i++) k[i] /= sum;
    float[] rows = new float[h * w];
    for (int p = 0; p < planes; p++) {
      int base = p * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) acc += k[i + radius] * in[base + y * w + Math.max(0, Math.min(w - 1, x + i))];
          rows[y * w + x] = (float) acc;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double acc = 0;
          for (int i = -radius; i <= radius; i++) acc += k[i + radius] * rows[Math.max(0, Math.min(h - 1, y + i)) * w + x];
          out[base + y * w + x] = (float) acc;
        }
      }
    }
  }
}
