package dev.neurite.standard.initializers;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Min;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;

@Doc("A (semi-)orthogonal matrix (Saxe et al. 2014), as PyTorch's orthogonal_: the first axis is the rows, the rest "
    + "flattened the columns; from the QR decomposition of a Gaussian matrix, signs fixed by R's diagonal")
public final class Orthogonal implements Initializer {
  public record Params(@Doc("scale factor") @Default("1.0") @Min(value = 0, exclusive = true) double gain) {}

  private final double gain;
  private final RandomStream random;

  @Inject
  public Orthogonal(Params params, RandomStream random) {
    this.gain = params.gain();
    this.random = random;
  }

  @Override
  public void initialize(Tensor tensor, int fanIn, int fanOut) {
    int rows = tensor.shape().rank() == 0 ? 1 : tensor.shape().dim(0);
    int cols = tensor.size() / Math.max(1, rows);
    boolean transpose = rows < cols; // orthonormalize the longer side's columns
    int m = Math.max(rows, cols);
    int n = Math.min(rows, cols);
    double[][] q = new double[n][m]; // n column vectors of length m
    for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) q[j][i] = random.nextGaussian();
    for (int j = 0; j < n; j++) { // modified Gram-Schmidt; r_jj's sign makes Q unique, as PyTorch's sign(diag(R)) fix
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < m; i++) dot += q[k][i] * q[j][i];
        for (int i = 0; i < m; i++) q[j][i] -= dot * q[k][i];
      }
      double norm = 0;
      for (int i = 0; i < m; i++) norm += q[j][i] * q[j][i];
      norm = Math.sqrt(norm);
      for (int i = 0; i < m; i++) q[j][i] /= norm;
    }
    float[] w = tensor.data();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) w[r * cols + c] = (float) (gain * (transpose ? q[r][c] : q[c][r]));
    }
  }
}
