package dev.neurite.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorTest {
  private static final Shape SAMPLE = Shape.of(3);

  @Test
  void reuseKeepsABufferPerBatchSizeForTwoSizesThatAlternate() {
    Tensor full = Tensor.reuse(null, 4, SAMPLE);
    assertThat(full.shape()).isEqualTo(Shape.of(4, 3));
    full.data()[0] = 7f;
    assertThat(Tensor.reuse(full, 4, SAMPLE)).isSameAs(full);

    long before = Tensor.created();
    Tensor last = Tensor.reuse(full, 2, SAMPLE); // an epoch's smaller last batch: a new, zeroed buffer
    assertThat(last).isNotSameAs(full);
    assertThat(last.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(last.data()).containsOnly(0f);
    last.data()[1] = 5f;

    // the next epoch's full batches and its last batch again: the two buffers, with the values they held
    Tensor again = Tensor.reuse(last, 4, SAMPLE);
    assertThat(again).isSameAs(full);
    assertThat(again.data()[0]).isEqualTo(7f);
    assertThat(Tensor.reuse(again, 2, SAMPLE)).isSameAs(last);
    assertThat(last.data()[1]).isEqualTo(5f);
    assertThat(Tensor.created() - before).as("tensors made after the first switch").isEqualTo(1);
  }

  @Test
  void aThirdSizeGetsANewBufferAndThenAlternatesWithTheOneBeforeIt() {
    Tensor a = Tensor.reuse(null, 8, SAMPLE);
    Tensor b = Tensor.reuse(a, 5, SAMPLE);
    Tensor c = Tensor.reuse(b, 1, SAMPLE);
    assertThat(c).isNotSameAs(a).isNotSameAs(b);
    assertThat(c.shape()).isEqualTo(Shape.of(1, 3));
    assertThat(Tensor.reuse(c, 5, SAMPLE)).isSameAs(b);
    assertThat(Tensor.reuse(b, 1, SAMPLE)).isSameAs(c);
    Tensor d = Tensor.reuse(c, 8, SAMPLE); // a is no longer linked from c
    assertThat(d).isNotSameAs(a);
    assertThat(d.data()).containsOnly(0f);
  }
}
