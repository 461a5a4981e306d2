package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.Dataset;
import dev.neurite.standard.transforms.Clip;
import dev.neurite.standard.transforms.MinMax;
import dev.neurite.standard.transforms.OneHot;
import dev.neurite.standard.transforms.Scale;
import dev.neurite.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformsTest {
  private static Dataset.InMemory data(float[] x, int cols, float... y) {
    return Dataset.of(Tensor.wrap(x, x.length / cols, cols), Tensor.wrap(y, y.length, 1));
  }

  @Test
  void minMaxMapsTheTrainingRangeAndExtrapolatesOnOtherSplits() {
    MinMax t = new MinMax(new MinMax.Params(-1, 1));
    Dataset.InMemory train = data(new float[] {0, 5, 10, 5, 5, 5}, 2, 0, 0, 0);
    t.fit(train);
    // column 0 spans [0, 10] -> [-1, 1]; column 1 is constant -> min
    assertThat(t.apply(train).materialize().features().data()).containsExactly(-1, -1, 1, -1, 0, -1);
    assertThat(t.apply(data(new float[] {20, 6}, 2, 0)).materialize().features().data()).containsExactly(3, -1);
    assertThat(t.state().get("data_min").data()).containsExactly(0, 5);
  }

  @Test
  void scaleAndClipAreFixedMaps() {
    Dataset.InMemory d = data(new float[] {0, 255, 51, 300}, 2, 0, 0);
    float[] scaled = new Scale(new Scale.Params(0, 255)).apply(d).materialize().features().data();
    assertThat(scaled).containsExactly(0f, 1f, 0.2f, 300f / 255f);
    float[] normalised = new Scale(new Scale.Params(0.1307, 0.3081)).apply(Dataset.of(Tensor.wrap(scaled, 2, 2), Tensor.zeros(2, 1)))
        .materialize().features().data();
    assertThat(normalised[1]).isCloseTo((1 - 0.1307f) / 0.3081f, within(1e-6f));
    assertThat(new Clip(new Clip.Params(10, 100)).apply(d).materialize().features().data()).containsExactly(10, 100, 51, 100);
    assertThatThrownBy(() -> new Scale.Params(0, 0)).hasMessage("divide_by must not be 0");
    assertThat(d.features().data()).containsExactly(0, 255, 51, 300); // views never change their base
  }

  @Test
  void oneHotTurnsClassIndicesIntoVectorsAndRejectsOutOfRangeLabels() {
    Dataset.InMemory d = data(new float[] {1, 2, 3}, 1, 2, 0, 1);
    Dataset.InMemory out = new OneHot(new OneHot.Params(3)).apply(d).materialize();
    assertThat(out.targetShape().dims()).containsExactly(3);
    assertThat(out.targets().data()).containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0);
    assertThat(out.features().data()).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> new OneHot(new OneHot.Params(2)).apply(d))
        .hasMessage("row 0 has label 2.0; one_hot with classes: 2 needs a whole number from 0 to 1");
  }
}
