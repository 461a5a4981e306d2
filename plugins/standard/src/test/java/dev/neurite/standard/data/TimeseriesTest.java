package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.config.SplitSpec;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Transform;
import dev.neurite.train.Splits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeseriesTest {
  @TempDir Path dir;

  /** Ten steps: a = 0..9, b = 100 + 10 a. */
  private Path series() throws IOException {
    StringBuilder csv = new StringBuilder("day,a,b\n");
    for (int i = 0; i < 10; i++) csv.append("d").append(i).append(',').append(i).append(',').append(100 + 10 * i).append('\n');
    Path f = dir.resolve("series.csv");
    Files.writeString(f, csv.toString());
    return f;
  }

  private Timeseries source(Path file, int lookback, int horizon, boolean scale) {
    return new Timeseries(new Timeseries.Params(file, List.of("a", "b"), "b", lookback, horizon, scale, ","));
  }

  @Test
  void windowsHoldLookbackStepsOfTheColumnsAndTheTargetHorizonStepsLater() throws IOException {
    Dataset loaded = source(series(), 3, 2, false).load();
    Dataset.InMemory d = loaded.materialize();
    assertThat(d.size()).isEqualTo(10 - 3 - 2 + 1);
    assertThat(d.sampleShape().dims()).containsExactly(3, 2);
    // window 1: steps 1, 2, 3; its target is b at step 3 + 2 = 5
    float[] x = d.features().data();
    assertThat(java.util.Arrays.copyOfRange(x, 6, 12)).containsExactly(1, 110, 2, 120, 3, 130);
    assertThat(d.targets().data()).containsExactly(140, 150, 160, 170, 180, 190);
    assertThat(loaded.origin(1)).endsWith("series.csv lines 3-5, target at line 7");
  }

  @Test
  void splitsAreSpansInTimeOrderAndScalingIsFittedOnTheTrainingSpan() throws IOException {
    Timeseries source = source(series(), 2, 1, true);
    assertThat(source.ordered()).isTrue();
    Dataset all = source.load(); // 8 windows, ending at steps 1..8
    Splits splits = Splits.of(all, new SplitSpec(0.5, 0.25, 0.25, false), new RandomStream(3), source.ordered());
    assertThat(splits.train().materialize().targets().data()).containsExactly(120, 130, 140, 150);
    assertThat(splits.validation().materialize().targets().data()).containsExactly(160, 170);
    assertThat(splits.test().materialize().targets().data()).containsExactly(180, 190);
    Transform scaling = source.preprocessing().get(0);
    scaling.fit(splits.train());
    // the training windows end at steps 1..4: a's mean 2.5 and (population) std sqrt(1.25)
    assertThat(scaling.state().get("mean").data()).containsExactly(2.5f, 125f);
    assertThat(scaling.state().get("std").data()[0]).isCloseTo((float) Math.sqrt(1.25), within(1e-6f));
    float[] test = scaling.apply(splits.test()).materialize().features().data(); // steps 6, 7 and 7, 8
    assertThat(test[0]).isCloseTo((float) ((6 - 2.5) / Math.sqrt(1.25)), within(1e-5f));
    assertThat(test[1]).isCloseTo((float) ((160 - 125) / Math.sqrt(125)), within(1e-5f));
    assertThat(scaling.apply(splits.test()).materialize().targets().data()).containsExactly(180, 190); // targets keep their units
    assertThatThrownBy(() -> Splits.of(all, new SplitSpec(0.5, 0.25, 0.25, true), new RandomStream(3), true))
        .hasMessageContaining("time order").hasMessageContaining("stratify");
  }

  @Test
  void badFilesAreNamedWithTheLineColumnAndWhatWouldBeValid() throws IOException {
    Path file = series();
    assertThatThrownBy(() -> new Timeseries(new Timeseries.Params(file, List.of("aa"), "b", 2, 1, true, ",")).load())
        .isInstanceOf(NeuriteException.class).hasMessage(file + ": columns[0]: no column 'aa'; did you mean 'a'?; the header has [day, a, b]");
    assertThatThrownBy(() -> new Timeseries(new Timeseries.Params(file, List.of("day"), "b", 2, 1, true, ",")).load())
        .hasMessage(file + " line 2, column 'day': 'd0' is not a number; a time series needs a number at every step");
    assertThatThrownBy(() -> source(file, 8, 3, true).load())
        .hasMessage(file + ": 10 rows give no window of lookback 8 and horizon 3; it needs at least 11 rows");
    Files.writeString(file, "a,b\n1,2\n3,\n");
    assertThatThrownBy(() -> source(file, 1, 1, true).load()).hasMessage(file + " line 3, column 'b': missing value; a time series needs a number at every step");
  }
}
