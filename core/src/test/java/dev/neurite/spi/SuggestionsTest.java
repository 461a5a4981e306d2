package dev.neurite.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void swappedLettersCountAsOneEdit() {
    assertThat(Suggestions.distance("rleu", "relu")).isEqualTo(1);
    assertThat(Suggestions.distance("relu", "relu")).isZero();
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }

  @Test
  void suggestsTheLikelyTypoAndNothingFarAway() {
    List<String> layers = List.of("dense", "elu", "relu", "tanh");
    assertThat(Suggestions.closest("rleu", layers)).contains("relu");
    assertThat(Suggestions.closest("Dense", layers)).contains("dense");
    assertThat(Suggestions.closest("convolution", layers)).isEmpty();
    assertThat(Suggestions.didYouMean("tahn", layers)).isEqualTo("; did you mean 'tanh'?");
  }

  @Test
  void theBeginningOfANameCompletesItRatherThanMatchingAShortNeighbour() {
    List<String> names = List.of("conv2d", "csv", "max_pool2d", "mae", "dense");
    assertThat(Suggestions.closest("conv", names)).contains("conv2d"); // not csv, also two edits away
    assertThat(Suggestions.closest("max_pool", names)).contains("max_pool2d");
    assertThat(Suggestions.closest("ma", names)).contains("mae"); // too short to complete: the nearest
  }
}
