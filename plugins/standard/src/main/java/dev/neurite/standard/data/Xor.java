package dev.neurite.standard.data;

import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Doc;
import dev.neurite.tensor.Tensor;
import java.util.List;

@Doc("The four XOR points: inputs {0,1}^2, target a XOR b (shape [1])")
public final class Xor implements DataSource {
  @Override
  public Dataset load() {
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    float[] y = {0, 1, 1, 0};
    return Dataset.of(Tensor.wrap(x, 4, 2), Tensor.wrap(y, 4, 1), List.of("a", "b"));
  }
}
