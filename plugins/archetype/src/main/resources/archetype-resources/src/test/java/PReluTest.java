package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.neurite.spi.BuildContext;
import dev.neurite.spi.Initializer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import dev.neurite.testkit.LayerContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The kit's layer contract (finite differences, shapes, determinism, ...) and values worked out by hand. */
class PReluTest {
  /** Slopes drawn from the layer's stream, so each channel has its own. */
  static Initializer randomSlopes(RandomStream random) {
    return (tensor, fanIn, fanOut) -> {
      for (int i = 0; i < tensor.size(); i++) tensor.set(i, 0.1f + 0.3f * random.nextFloat());
    };
  }

  @Nested
  class PerChannelOnImages extends LayerContract {
    @Override
    protected Layer create(RandomStream random) {
      return new PRelu(new PRelu.Params(randomSlopes(random), false));
    }

    @Override
    protected Shape inputShape() {
      return Shape.of(2, 3, 3);
    }
  }

  @Nested
  class SharedOnFeatures extends LayerContract {
    @Override
    protected Layer create(RandomStream random) {
      return new PRelu(new PRelu.Params(randomSlopes(random), true));
    }

    @Override
    protected Shape inputShape() {
      return Shape.of(5);
    }
  }

  /** Builds a layer outside a model: its params are created here and the first one is returned. */
  static Param build(Layer layer, Shape input, boolean inputGradientNeeded) {
    Param[] created = new Param[1];
    layer.build(input, new BuildContext() {
      @Override
      public Param param(String localName, Shape shape, boolean decays) {
        created[0] = new Param("layers.0." + localName, Tensor.zeros(shape), Tensor.zeros(shape), decays);
        return created[0];
      }

      @Override
      public String path() {
        return "model.layers[0]";
      }

      @Override
      public boolean inputGradientNeeded() {
        return inputGradientNeeded;
      }
    });
    return created[0];
  }

  @Test
  void twoChannelsWithTheDefaultSlopes() {
    // y = x for x > 0, else 0.25 x; d loss/d a_c = sum of g x over the channel's x <= 0
    PRelu layer = new PRelu(new PRelu.Params((t, in, out) -> t.fill(0.25f), false));
    Param alpha = build(layer, Shape.of(2), true);
    Tensor x = Tensor.wrap(new float[] {1, -2, -4, 3}, 2, 2);
    assertArrayEquals(new float[] {1, -0.5f, -1, 3}, layer.forward(x, Pass.TRAINING).data());
    Tensor dx = layer.backward(Tensor.wrap(new float[] {1, 1, 1, 1}, 2, 2));
    assertArrayEquals(new float[] {1, 0.25f, 0.25f, 1}, dx.data());
    assertArrayEquals(new float[] {-4, -2}, alpha.grad().data());
    assertArrayEquals(new float[] {0.25f, 0.25f}, alpha.value().data());
  }

  @Test
  void aFirstLayerSkipsTheInputGradient() {
    PRelu layer = new PRelu(new PRelu.Params((t, in, out) -> t.fill(0.25f), true));
    Param alpha = build(layer, Shape.of(2), false);
    layer.forward(Tensor.wrap(new float[] {-1, -3}, 1, 2), Pass.TRAINING);
    assertNull(layer.backward(Tensor.wrap(new float[] {2, 1}, 1, 2)));
    assertArrayEquals(new float[] {-5}, alpha.grad().data());
  }
}
