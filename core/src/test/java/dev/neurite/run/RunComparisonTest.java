package dev.neurite.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunComparisonTest {
  @Test
  void metricsShowFourSignificantDigitsAndTheChange() {
    assertThat(RunComparison.metricDifference("test.loss", "0.3013677699624593", "0.3321025323734313"))
        .hasToString("test.loss: 0.3014 -> 0.3321 (+0.03073)");
    assertThat(RunComparison.metricDifference("test.accuracy", "0.9644", "0.96"))
        .hasToString("test.accuracy: 0.9644 -> 0.96 (-0.0044)");
  }

  @Test
  void valuesThatRoundAlikeGetTheDigitsThatTellThemApart() {
    assertThat(RunComparison.metricDifference("train.loss", "0.123451", "0.123459"))
        .hasToString("train.loss: 0.12345 -> 0.12346 (+8.000e-06)");
  }

  @Test
  void hugeAndTinyNumbersAreScientificAndTextIsLeftAlone() {
    assertThat(RunComparison.metricDifference("train.loss", "4.318035625785528e28", "2.5e-7"))
        .hasToString("train.loss: 4.318e+28 -> 2.500e-07 (-4.318e+28)");
    assertThat(RunComparison.metricDifference("test.loss", "NaN", "0.5")).hasToString("test.loss: NaN -> 0.5");
    assertThat(RunComparison.metricDifference("test.note", "(absent)", "0.5")).hasToString("test.note: (absent) -> 0.5");
  }
}
