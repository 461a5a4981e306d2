package dev.neurite.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {
  @Test
  void everydayValuesHaveFourDecimalsAndRunawayOnesAreScientific() {
    assertThat(Numbers.format(0.30136777)).isEqualTo("0.3014");
    assertThat(Numbers.format(0)).isEqualTo("0.0000");
    assertThat(Numbers.format(43180356257855280000000000000.0)).isEqualTo("4.3180e+28");
    assertThat(Numbers.format(-2.5e-7)).isEqualTo("-2.5000e-07");
    assertThat(Numbers.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
  }

  @Test
  void significantDigits() {
    assertThat(Numbers.significant(4.318035625785528e28, 4)).isEqualTo("4.318e+28");
    assertThat(Numbers.significant(2.5e-7, 4)).isEqualTo("2.500e-07");
    assertThat(Numbers.significant(0.123459, 5)).isEqualTo("0.12346");
    assertThat(Numbers.significant(Double.NaN, 4)).isEqualTo("NaN");
  }
}
