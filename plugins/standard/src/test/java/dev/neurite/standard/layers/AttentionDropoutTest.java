package dev.neurite.standard.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.check.FiniteDifferences;
import dev.neurite.nn.Model;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dropout inside attention and the encoder block: active while training only, and the same weights whatever its rate. */
class AttentionDropoutTest {
  private static Model built(Layer layer) {
    Model m = new Model(List.of(layer));
    m.build(Shape.of(5, 6), List.of("model.layers[0]"));
    return m;
  }

  private static TransformerEncoder encoder(double dropout) {
    return new TransformerEncoder(new TransformerEncoder.Params(2, 12, TransformerEncoder.Activation.RELU, false, false, 1e-5, dropout),
        new RandomStream(3));
  }

  @Test
  void dropoutChangesTrainingPassesOnlyAndNotTheInitialWeights() {
    Tensor x = FiniteDifferences.awayFromZero(Shape.of(4, 5, 6), 1);
    Model plain = built(encoder(0));
    Model dropped = built(encoder(0.3));
    for (int i = 0; i < plain.params().size(); i++) {
      assertThat(dropped.params().get(i).value().data()).containsExactly(plain.params().get(i).value().data());
    }
    float[] inference = plain.forward(x, Pass.INFERENCE).data().clone();
    assertThat(dropped.forward(x, Pass.INFERENCE).data()).containsExactly(inference);
    assertThat(plain.forward(x, Pass.TRAINING).data()).containsExactly(inference);
    float[] first = dropped.forward(x, Pass.TRAINING).data().clone();
    float[] second = dropped.forward(x, Pass.TRAINING).data().clone();
    assertThat(first).isNotEqualTo(inference);
    assertThat(second).isNotEqualTo(first); // a new draw every pass

    Model attention = built(new MultiHeadAttention(new MultiHeadAttention.Params(2, false, true, 0.5), new RandomStream(3)));
    float[] attended = attention.forward(x, Pass.INFERENCE).data().clone();
    assertThat(attention.forward(x, Pass.TRAINING).data()).isNotEqualTo(attended);
  }
}
