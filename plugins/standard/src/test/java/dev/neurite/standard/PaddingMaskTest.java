package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.config.ComponentSpecs;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.nn.Model;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.Layer;
import dev.neurite.spi.Param;
import dev.neurite.spi.Pass;
import dev.neurite.spi.RandomStream;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Padding masks through whole models: an embedding's padding index starts the mask, the layers after it
 * pass it on or end it, and a padded sequence gives what the same sequence gives unpadded.
 */
class PaddingMaskTest {
  private static final ComponentRegistry REGISTRY = ComponentRegistry.of(List.of(new StandardPlugin()));
  private static final int PAD = 0;

  /** A model of layers given as {@code type: params} lines, built for sequences of {@code steps} tokens, every param drawn from one seed. */
  private static Model model(int steps, String... layers) {
    List<Layer> built = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      String[] typeAndParams = layers[i].split(":", 2);
      var type = REGISTRY.find(ComponentKind.LAYER, typeAndParams[0].trim()).orElseThrow();
      String params = typeAndParams.length > 1 ? typeAndParams[1].trim() : "";
      built.add(ComponentSpecs.create(REGISTRY, type, params, "model.layers[" + i + "]", p -> new RandomStream(7)));
      paths.add("model.layers[" + i + "]");
    }
    Model m = new Model(built);
    m.build(Shape.of(steps), paths);
    return m;
  }

  private static void sameParams(Model from, Model to) {
    for (int i = 0; i < from.params().size(); i++) {
      Param p = from.params().get(i);
      System.arraycopy(p.value().data(), 0, to.params().get(i).value().data(), 0, p.value().size());
    }
  }

  private static final String[][] MODELS = {
      {"embedding: vocabulary: 9, dimension: 4, padding_index: 0", "lstm: units: 5, bidirectional: true, layers: 2", "dense: units: 3"},
      {"embedding: vocabulary: 9, dimension: 4, padding_index: 0", "gru: units: 5, return_sequences: true, bidirectional: true",
          "dense: units: 6", "relu", "global_avg_pool1d", "dense: units: 3"},
      {"embedding: vocabulary: 9, dimension: 4, padding_index: 0", "simple_rnn: units: 4, return_sequences: true", "global_max_pool1d"},
      {"embedding: vocabulary: 9, dimension: 6, padding_index: 0", "positional_encoding", "transformer_encoder: heads: 2, feedforward: 8",
          "transformer_encoder: heads: 3, feedforward: 5, norm_first: true", "last", "dense: units: 3"},
      {"embedding: vocabulary: 9, dimension: 4, padding_index: 0", "multi_head_attention: heads: 2", "layer_norm: last_axis: true",
          "dropout: rate: 0.3", "global_avg_pool1d"},
      {"embedding: vocabulary: 9, dimension: 4, padding_index: 0", "conv1d: filters: 5, kernel_size: 3, causal: true, dilation: 2",
          "relu", "conv1d: filters: 3, kernel_size: 5, padding: 2", "global_max_pool1d"},
  };

  /** Each model of {@link #MODELS} on [4, 7, 2, 5] padded to 9 steps gives (within float rounding) what it gives on the 4 steps alone, also gradients. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void aPaddedSequenceGivesWhatItGivesUnpadded(int which) {
    Model padded = model(9, MODELS[which]);
    Model alone = model(4, MODELS[which]);
    sameParams(padded, alone);
    Tensor x = Tensor.wrap(new float[] {4, 7, 2, 5, PAD, PAD, PAD, PAD, PAD, 3, 1, 8, 8, 6, 2, 1, 4, 5}, 2, 9);
    Tensor short1 = Tensor.wrap(new float[] {4, 7, 2, 5}, 1, 4);
    float[] both = padded.forward(x, Pass.INFERENCE).data().clone();
    float[] one = alone.forward(short1, Pass.INFERENCE).data().clone();
    int width = one.length;
    for (int j = 0; j < width; j++) assertThat(both[j]).as("output " + j).isCloseTo(one[j], org.assertj.core.data.Offset.offset(2e-6f));
    // the gradient of the first output for the first sequence reaches the same params, and no padded step
    Tensor r = Tensor.zeros(2, width);
    r.set(0, 1f);
    padded.zeroGrad();
    padded.forward(x, Pass.INFERENCE);
    padded.backward(r);
    Tensor r1 = Tensor.zeros(1, width);
    r1.set(0, 1f);
    alone.zeroGrad();
    alone.forward(short1, Pass.INFERENCE);
    alone.backward(r1);
    for (int i = 0; i < padded.params().size(); i++) {
      float[] a = padded.params().get(i).grad().data();
      float[] b = alone.params().get(i).grad().data();
      for (int j = 0; j < b.length; j++) {
        assertThat(a[j]).as(padded.params().get(i).name() + "[" + j + "]").isCloseTo(b[j], org.assertj.core.data.Offset.offset(2e-6f));
      }
    }
  }

  @Test
  void aLayerThatWouldReadPaddingAsRealStepsIsRefusedAtBuild() {
    assertThatThrownBy(() -> model(6, "embedding: vocabulary: 9, dimension: 4, padding_index: 0", "conv1d: filters: 2, kernel_size: 3"))
        .isInstanceOf(Model.ShapeException.class)
        .hasMessageContaining("its input is a padded sequence (the padding mask starts at model.layers[0])")
        .hasMessageContaining("a recurrence without return_sequences, last, global_avg_pool1d or global_max_pool1d");
    assertThatThrownBy(() -> model(6, "embedding: vocabulary: 9, dimension: 4, padding_index: 0", "lstm: units: 3, return_sequences: true",
        "flatten")).hasMessageContaining("the padding mask starts at model.layers[0]");
    assertThatThrownBy(() -> model(6, "embedding: vocabulary: 9, dimension: 4, padding_index: 0", "layer_norm"))
        .hasMessageContaining("would count the padded steps as real");
    // the mask ends at the reducer: what follows it is free; and mask: false reads padding as ordinary steps
    model(6, "embedding: vocabulary: 9, dimension: 4, padding_index: 0", "lstm: units: 3", "layer_norm");
    model(6, "embedding: vocabulary: 9, dimension: 4, padding_index: 0, mask: false", "conv1d: filters: 2, kernel_size: 3");
  }

  @Test
  void withoutTheMaskPaddingChangesTheOutput() {
    Model masked = model(9, MODELS[0]);
    Model unmasked = model(9, "embedding: vocabulary: 9, dimension: 4, padding_index: 0, mask: false",
        "lstm: units: 5, bidirectional: true, layers: 2", "dense: units: 3");
    sameParams(masked, unmasked);
    Tensor x = Tensor.wrap(new float[] {4, 7, 2, 5, PAD, PAD, PAD, PAD, PAD}, 1, 9);
    assertThat(masked.forward(x, Pass.INFERENCE).data()).isNotEqualTo(unmasked.forward(x, Pass.INFERENCE).data());
    assertThat(masked.outputMask()).isNull(); // ended by the lstm's last state
  }

  @Test
  void maskingMarksPaddedStepsOfARealValuedSequence() {
    List<String> paths = List.of("model.layers[0]", "model.layers[1]", "model.layers[2]");
    java.util.function.IntFunction<Model> build = steps -> {
      List<Layer> layers = new ArrayList<>();
      for (String spec : new String[] {"masking: mask_value: -1", "gru: units: 4, bidirectional: true", "dense: units: 2"}) {
        String[] tp = spec.split(":", 2);
        layers.add(ComponentSpecs.create(REGISTRY, REGISTRY.find(ComponentKind.LAYER, tp[0]).orElseThrow(), tp.length > 1 ? tp[1].trim() : "",
            "model.layers[0]", p -> new RandomStream(9)));
      }
      Model m = new Model(layers);
      m.build(Shape.of(steps, 2), paths);
      return m;
    };
    Model padded = build.apply(5);
    Model alone = build.apply(2);
    sameParams(padded, alone);
    float[] out = padded.forward(Tensor.wrap(new float[] {0.5f, -1f, 2f, 0f, -1f, -1f, -1f, -1f, -1f, -1f}, 1, 5, 2), Pass.INFERENCE).data();
    float[] expected = alone.forward(Tensor.wrap(new float[] {0.5f, -1f, 2f, 0f}, 1, 2, 2), Pass.INFERENCE).data();
    for (int j = 0; j < 2; j++) assertThat(out[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-6f));
  }
}
