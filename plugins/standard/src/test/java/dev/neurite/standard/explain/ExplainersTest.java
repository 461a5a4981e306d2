package dev.neurite.standard.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.explain.ModelView;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Explainer;
import dev.neurite.spi.Layer;
import dev.neurite.spi.RandomStream;
import dev.neurite.standard.StandardPlugin;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The explainers on models whose answers are known in closed form. */
class ExplainersTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));

  private static Explainer.Local explainer(String yaml) {
    return (Explainer.Local) ComponentSpecs.fromYaml(REGISTRY, ComponentKind.EXPLAINER, yaml, "test", "explain.methods[0]",
        p -> new RandomStream(7)).component();
  }

  /** A model of {@code layers} (YAML) on samples of {@code sample}, params from the initializers' seeded streams. */
  private static ModelView model(Shape sample, Tensor mean, String... layers) {
    List<Node> nodes = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      String path = "model.layers[" + i + "]";
      Layer layer = ComponentSpecs.fromYaml(REGISTRY, ComponentKind.LAYER, layers[i], "test", path, p -> RandomStream.derive(3, p)).component();
      nodes.add(new Node(null, List.of(), layer));
      paths.add(path);
    }
    Model model = Model.graph(nodes);
    model.build(sample, paths, true);
    return new ModelView(model, sample, mean);
  }

  private static Tensor random(Shape shape, long seed) {
    RandomStream r = new RandomStream(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
    return t;
  }

  @Test
  void onALinearModelEveryMethodGivesTheWeightsOrTheirShareOfTheOutput() {
    Shape sample = Shape.of(1, 4, 4);
    ModelView linear = model(sample, Tensor.zeros(sample.prepend(1)), "flatten", "{type: dense, units: 3, bias: false}");
    Tensor x = random(sample.prepend(2), 1);
    int[] targets = {2, 0};
    float[] g = linear.gradient(x, targets).data();
    // integrated gradients from zero of a linear function is exactly gradient x input
    float[] ig = explainer("{type: integrated_gradients, steps: 3}").attribute(linear, x, targets).values().data();
    float[] gx = explainer("gradient_x_input").attribute(linear, x, targets).values().data();
    for (int i = 0; i < g.length; i++) {
      assertThat(ig[i]).isCloseTo(g[i] * x.data()[i], within(1e-5f));
      assertThat(gx[i]).isCloseTo(g[i] * x.data()[i], within(1e-6f));
    }
    // occluding one pixel at a time with 0 removes exactly that pixel's term w_i x_i
    float[] occ = explainer("{type: occlusion, window: 1, stride: 1}").attribute(linear, x, targets).values().data();
    for (int i = 0; i < g.length; i++) assertThat(occ[i]).isCloseTo(g[i] * x.data()[i], within(1e-5f));
    // without noise, smoothgrad is the gradient
    float[] sg = explainer("{type: smoothgrad, samples: 3, noise: 0}").attribute(linear, x, targets).values().data();
    for (int i = 0; i < g.length; i++) assertThat(sg[i]).isCloseTo(g[i], within(1e-6f));
  }

  @Test
  void integratedGradientsIsCompleteFromEveryBaseline() { // a smooth model: the trapezoid rule's error shrinks as 1/steps^2
    Shape sample = Shape.of(1, 6, 6);
    Tensor mean = random(sample.prepend(1), 9);
    ModelView cnn = model(sample, mean, "{type: conv2d, filters: 3, kernel_size: 3, padding: 1}", "tanh", "{type: avg_pool2d, kernel_size: 2}",
        "flatten", "{type: dense, units: 4}");
    Tensor x = random(sample.prepend(3), 2);
    int[] targets = {0, 3, 1};
    for (String baseline : List.of("zeros", "mean", "blur")) {
      Explainer.Attributions a = explainer("{type: integrated_gradients, steps: 200, baseline: " + baseline + ", blur_sigma: 1}")
          .attribute(cnn, x, targets);
      double[] error = a.perSample().get("completeness_error");
      double[] difference = a.perSample().get("output_difference");
      for (int s = 0; s < 3; s++) {
        assertThat(Math.abs(error[s])).as(baseline + " sample " + s).isLessThan(0.01 * Math.abs(difference[s]) + 1e-6);
      }
    }
  }

  @Test
  void blurKeepsAConstantImageAndSmoothsAPoint() {
    float[] constant = new float[25];
    java.util.Arrays.fill(constant, 3f);
    float[] out = new float[25];
    Baselines.blur(constant, out, 1, 5, 5, 1.5);
    for (float v : out) assertThat(v).isCloseTo(3f, within(1e-5f));
    float[] point = new float[25];
    point[12] = 1f;
    Baselines.blur(point, out, 1, 5, 5, 1.0);
    assertThat(out[12]).isLessThan(1f).isGreaterThan(out[11]);
    assertThat(out[11]).isCloseTo(out[13], within(1e-7f)).isCloseTo(out[7], within(1e-7f));
  }

  @Test
  void imageOnlyMethodsRefuseTabularData() {
    ModelView mlp = model(Shape.of(5), Tensor.zeros(Shape.of(1, 5)), "{type: dense, units: 2}");
    Tensor x = random(Shape.of(2, 5), 3);
    assertThatThrownBy(() -> explainer("occlusion").attribute(mlp, x, new int[] {0, 1}))
        .hasMessage("needs images ([channels, height, width] samples), but the samples have shape [5]; "
            + "for tabular data use permutation importance or a gradient method");
    assertThatThrownBy(() -> explainer("{type: integrated_gradients, baseline: blur}").attribute(mlp, x, new int[] {0, 1}))
        .hasMessageStartingWith("baseline: blur needs images");
  }
}
