package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.standard.data.Csv;
import dev.neurite.standard.transforms.Standardize;
import dev.neurite.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvAndTransformTest {
  @TempDir Path dir;

  private Dataset.InMemory load(String content, String label, List<String> features) throws IOException {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, content);
    return new Csv(new Csv.Params(f, label, features)).load().materialize();
  }

  private String file() {
    return dir.resolve("d.csv").toString();
  }

  @Test
  void readsFeaturesAndLabelByName() throws IOException {
    Dataset.InMemory d = load("a,b,y,c\n1,2,0,3\n4,5,1,6\n", "y", List.of());
    assertThat(d.features().shape().dims()).containsExactly(2, 3);
    assertThat(d.features().data()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(d.targets().data()).containsExactly(0, 1);
    assertThat(d.featureNames()).containsExactly("a", "b", "c");
    Dataset.InMemory chosen = load("a,b,y,c\n1,2,0,3\n4,5,1,6\n", "y", List.of("c", "a"));
    assertThat(chosen.features().data()).containsExactly(3, 1, 6, 4);
  }

  @Test
  void readsTheShippedIrisFile() {
    Path iris = Path.of("../../configs/data/iris.csv");
    Dataset.InMemory d = new Csv(new Csv.Params(iris, "species", List.of())).load().materialize();
    assertThat(d.size()).isEqualTo(150);
    assertThat(d.features().data()).startsWith(5.1f, 3.5f, 1.4f, 0.2f);
  }

  @Test
  void badCellsNameFileLineColumnAndValue() throws IOException {
    assertThatThrownBy(() -> load("a,b,y\n1,2,0\n1,x2,1\n", "y", List.of()))
        .isInstanceOf(NeuriteException.class)
        .hasMessage(file() + ":3: column 'b' (field 2): 'x2' is not a finite number; list the column under categorical if it holds categories");
    assertThatThrownBy(() -> load("a,b,y\n1,2,0\n1,NaN,1\n", "y", List.of()))
        .hasMessage(file() + ":3: column 'b' (field 2): missing value 'NaN'; set missing: drop, mean or constant to accept missing cells");
    assertThatThrownBy(() -> load("a,b,y\n1,2,0\n1,Infinity,1\n", "y", List.of()))
        .hasMessage(file() + ":3: column 'b' (field 2): 'Infinity' is not a finite number; list the column under categorical if it holds categories");
    assertThatThrownBy(() -> load("a,b,y\n1,2,0\n1,2\n", "y", List.of()))
        .hasMessage(file() + ":3: expected 3 fields as in the header, found 2");
  }

  @Test
  void missingColumnsSuggestTheClosestName() throws IOException {
    assertThatThrownBy(() -> load("sepal,petal,species\n1,2,0\n", "specis", List.of()))
        .hasMessage(file() + ": label: no column named 'specis'; did you mean 'species'? The header has: sepal, petal, species");
  }

  @Test
  void emptyFilesAndMissingFiles() throws IOException {
    assertThatThrownBy(() -> load("", "y", List.of())).hasMessage(file() + ": the file is empty; expected a header row");
    assertThatThrownBy(() -> load("a,y\n", "y", List.of())).hasMessage(file() + ": the file has a header but no data rows");
    Path missing = dir.resolve("missing.csv");
    assertThatThrownBy(() -> new Csv(new Csv.Params(missing, "y", List.of())).load())
        .hasMessage(missing + ": file not found");
  }

  @Test
  void standardizeUsesTrainingStatisticsOnly() {
    Dataset.InMemory train = Dataset.of(Tensor.wrap(new float[] {1, 10, 3, 10}, 2, 2), Tensor.zeros(2, 1), List.of());
    Dataset.InMemory test = Dataset.of(Tensor.wrap(new float[] {5, 7}, 1, 2), Tensor.zeros(1, 1), List.of());
    Standardize s = new Standardize();
    s.fit(train);
    assertThat(s.apply(train).materialize().features().data()).containsExactly(-1, 0, 1, 0);
    // mean 2, std 1 from train; the constant column keeps std 1 and is only centred
    assertThat(s.apply(test).materialize().features().data()).containsExactly(new float[] {3, -3}, within(1e-6f));
    assertThat(s.state().get("mean").data()).containsExactly(2, 10);
    assertThat(s.state().get("std").data()).containsExactly(1, 1);
    assertThat(train.features().data()).containsExactly(1, 10, 3, 10); // input untouched
  }
}
