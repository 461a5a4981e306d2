package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.check.FiniteDifferences;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.standard.layers.Add;
import dev.neurite.standard.layers.Concat;
import dev.neurite.standard.layers.Tanh;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Branching and merging models: shapes, and gradients where tensors fan out, against finite differences. */
class ModelGraphTest {
  private static Node node(String name, List<String> inputs, dev.neurite.spi.Layer layer) {
    return new Node(name, inputs, layer);
  }

  /** input -> dense a -> tanh -> dense b; out = concat(add(a, b), input) -> dense: the input and a both fan out. */
  private static Model residual() {
    RandomStream r = new RandomStream(3);
    return Model.graph(List.of(
        node("a", List.of(), ContractsTest.dense(4, true, r)),
        node(null, List.of(), new Tanh()),
        node("b", List.of(), ContractsTest.dense(4, true, r)),
        node("sum", List.of("a", "b"), new Add()),
        node(null, List.of("sum", "input"), new Concat()),
        node(null, List.of(), ContractsTest.dense(2, true, r))));
  }

  private static List<String> paths(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) p.add("model.layers[" + i + "]");
    return p;
  }

  @Test
  void shapesFlowThroughBranches() {
    Model m = residual();
    assertThat(m.build(Shape.of(3), paths(6))).isEqualTo(Shape.of(2));
    assertThat(m.shapes().toString()).isEqualTo("[[3], [4], [4], [4], [4], [7], [2]]");
    assertThat(m.params()).extracting(Param::name).containsExactly(
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.5.weight", "layers.5.bias");
  }

  @Test
  void gradientsThroughFanOutMatchFiniteDifferences() {
    Model m = residual();
    m.build(Shape.of(3), paths(6));
    Tensor x = FiniteDifferences.awayFromZero(Shape.of(5, 3), 1);
    Tensor r = FiniteDifferences.awayFromZero(Shape.of(5, 2), 2);
    m.forward(x, Pass.TRAINING);
    m.zeroGrad();
    Tensor gx = m.backward(r.copy()).copy();
    List<Tensor> grads = m.params().stream().map(p -> p.grad().copy()).toList();
    java.util.function.DoubleSupplier objective = () -> {
      Tensor y = m.forward(x, Pass.TRAINING);
      double s = 0;
      for (int i = 0; i < y.size(); i++) s += (double) y.get(i) * r.get(i);
      return s;
    };
    FiniteDifferences.compare("input", x, gx, objective);
    for (int i = 0; i < grads.size(); i++) FiniteDifferences.compare(m.params().get(i).name(), m.params().get(i).value(), grads.get(i), objective);
  }

  @Test
  void miswiredGraphsAreRejectedNamingTheLayer() {
    Model unknown = Model.graph(List.of(node(null, List.of("nope"), new Tanh())));
    assertThatThrownBy(() -> unknown.build(Shape.of(3), paths(1)))
        .isInstanceOf(Model.ShapeException.class).hasMessage("input 'nope' is not the name of an earlier layer Known: input");
    Model unused = Model.graph(List.of(node("a", List.of(), new Tanh()), node(null, List.of("input"), new Tanh())));
    assertThatThrownBy(() -> unused.build(Shape.of(3), paths(2)))
        .hasMessageStartingWith("its output is not used").extracting(e -> ((Model.ShapeException) e).layerIndex()).isEqualTo(0);
    Model twoIntoOne = Model.graph(List.of(node("a", List.of(), new Tanh()), node(null, List.of("a", "input"), new Tanh())));
    assertThatThrownBy(() -> twoIntoOne.build(Shape.of(3), paths(2))).hasMessage("takes one input, but inputs names 2");
    Model mismatched = Model.graph(List.of(node("a", List.of(), ContractsTest.dense(4, true, new RandomStream(1))),
        node(null, List.of("a", "input"), new Add())));
    assertThatThrownBy(() -> mismatched.build(Shape.of(3), paths(2)))
        .hasMessage("input shapes [[4], [3]] does not fit: add needs inputs of one shape, got [[4], [3]]");
  }

  @Test
  void aFusedActivationGivesTheSameNumbersAsASeparateLayer() {
    Model fused = Model.graph(List.of(node(null, List.of(), new dev.neurite.standard.layers.Dense(new dev.neurite.standard.layers.Dense.Params(
        4, new dev.neurite.standard.initializers.XavierUniform(new dev.neurite.standard.initializers.VarianceScaling.Params(1.0),
            new RandomStream(9)), true, java.util.Optional.of(new dev.neurite.standard.layers.Relu()))))));
    Model separate = Model.graph(List.of(node(null, List.of(), ContractsTest.dense(4, true, new RandomStream(9))),
        node(null, List.of(), new dev.neurite.standard.layers.Relu())));
    fused.build(Shape.of(3), paths(1));
    separate.build(Shape.of(3), paths(2));
    Tensor x = FiniteDifferences.awayFromZero(Shape.of(5, 3), 4);
    Tensor g = FiniteDifferences.awayFromZero(Shape.of(5, 4), 5);
    assertThat(fused.forward(x, Pass.TRAINING).data()).isEqualTo(separate.forward(x, Pass.TRAINING).data());
    assertThat(fused.backward(g).data()).isEqualTo(separate.backward(g).data());
    for (int i = 0; i < 2; i++) assertThat(fused.params().get(i).grad().data()).isEqualTo(separate.params().get(i).grad().data());
  }
}
