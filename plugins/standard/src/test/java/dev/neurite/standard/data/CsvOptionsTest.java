package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Transform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvOptionsTest {
  @TempDir Path dir;
  private static final List<String> NA = List.of("", "NA", "N/A", "NaN", "null");

  private Csv csv(String content, String label, List<String> features, List<String> categorical, Csv.Unknown unknown,
      Csv.Missing missing, boolean header) throws IOException {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, content);
    return new Csv(new Csv.Params(f, label, features, categorical, unknown, missing, -1, NA, header, ",", "\"", false));
  }

  private String file() {
    return dir.resolve("d.csv").toString();
  }

  /** Fits the source's own preprocessing on {@code train} and applies it to {@code other}, as core does. */
  private static Dataset.InMemory[] preprocess(Csv source, Dataset train, Dataset other) {
    for (Transform t : source.preprocessing()) {
      t.fit(train);
      train = t.apply(train);
      other = t.apply(other);
    }
    return new Dataset.InMemory[] {train.materialize(), other.materialize()};
  }

  @Test
  void columnsByIndexWithoutAHeaderAndQuotedFields() throws IOException {
    Csv c = csv("1,\"2,5\",0\n4,5,1\n", "2", List.of("1", "0"), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, false);
    assertThatThrownBy(c::load).hasMessage(file() + ":1: column '1' (field 2): '2,5' is not a finite number; "
        + "list the column under categorical if it holds categories");
    Csv ok = csv("1,\"2.5\",0\n4,5,1\n", "2", List.of("1", "0"), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, false);
    Dataset.InMemory d = ok.load().materialize();
    assertThat(d.features().data()).containsExactly(2.5f, 1, 5, 4);
    assertThat(d.targets().data()).containsExactly(0, 1);
    assertThatThrownBy(() -> csv("1,2\n", "7", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, false).load())
        .hasMessage(file() + ": label: column index 7 is out of range; the file has 2 columns (0 to 1)");
  }

  @Test
  void raggedRowsNameTheLine() throws IOException {
    assertThatThrownBy(() -> csv("1,2,0\n4,5\n", "2", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, false).load())
        .isInstanceOf(NeuriteException.class).hasMessage(file() + ":2: expected 3 fields as in the first row, found 2");
  }

  @Test
  void missingCellsAreAnErrorByDefaultAndDroppedRowsAreCounted() throws IOException {
    String data = "a,b,y\n1,2,0\n,3,1\n5,NA,0\n7,8,1\n";
    assertThatThrownBy(() -> csv(data, "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, true).load())
        .hasMessage(file() + ":3: column 'a' (field 1): missing value ''; set missing: drop, mean or constant to accept missing cells");
    Dataset.InMemory dropped = csv(data, "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.DROP, true).load().materialize();
    assertThat(dropped.features().data()).containsExactly(1, 2, 7, 8);
    assertThat(dropped.report()).containsEntry("rows", 2).containsEntry("rows_dropped", 2);
    Dataset.InMemory constant = csv(data, "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.CONSTANT, true).load().materialize();
    assertThat(constant.features().data()).containsExactly(1, 2, -1, 3, 5, -1, 7, 8);
    assertThat(constant.report()).containsEntry("cells_filled", 2);
    assertThatThrownBy(() -> csv("a,y\n1,\n", "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.MEAN, true).load())
        .hasMessage(file() + ":2: column 'y' (field 2): the label is missing (''); a label cannot be filled, only dropped (missing: drop)");
  }

  @Test
  void meanFillUsesTheTrainingSplitOnly() throws IOException {
    Csv c = csv("a,y\n1,0\n3,1\n,0\n100,1\n,0\n", "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.MEAN, true);
    Dataset all = c.load();
    Dataset.InMemory[] out = preprocess(c, all.rows(new int[] {0, 1, 2}), all.rows(new int[] {3, 4}));
    assertThat(out[0].features().data()).containsExactly(1, 3, 2); // mean of 1 and 3
    assertThat(out[1].features().data()).containsExactly(100, 2); // the test row gets the training mean
  }

  @Test
  void categoricalColumnsAreOneHotWithTheTrainingLevels() throws IOException {
    Csv c = csv("x,colour,y\n1,red,0\n2,blue,1\n3,red,0\n4,green,1\n5,,0\n", "y", List.of(), List.of("colour"),
        Csv.Unknown.ERROR, Csv.Missing.CONSTANT, true);
    Dataset all = c.load();
    Dataset train = all.rows(new int[] {0, 1, 2, 4});
    Dataset.InMemory[] ok = preprocess(c, train, all.rows(new int[] {1, 4}));
    // levels sorted by name: blue, red; a missing category is all zeros
    assertThat(ok[0].featureNames()).containsExactly("x", "colour=blue", "colour=red");
    assertThat(ok[0].features().data()).containsExactly(1, 0, 1, 2, 1, 0, 3, 0, 1, 5, 0, 0);
    assertThat(ok[1].features().data()).containsExactly(2, 1, 0, 5, 0, 0);

    assertThatThrownBy(() -> preprocess(c, train, all.rows(new int[] {3})))
        .hasMessage("column 'colour' has category 'green', which the training split does not have (its levels: blue, red); "
            + "1 cell(s) have unseen categories. Set unknown: bucket to encode them as an extra column");

    Csv bucket = csv("x,colour,y\n1,red,0\n2,blue,1\n3,red,0\n4,green,1\n", "y", List.of(), List.of("colour"),
        Csv.Unknown.BUCKET, Csv.Missing.ERROR, true);
    Dataset b = bucket.load();
    Dataset.InMemory[] bucketed = preprocess(bucket, b.rows(new int[] {0, 1}), b.rows(new int[] {3}));
    assertThat(bucketed[1].featureNames()).containsExactly("x", "colour=blue", "colour=red", "colour=unknown");
    assertThat(bucketed[1].features().data()).containsExactly(4, 0, 0, 1);
  }

  @Test
  void aSeparateFileIsEncodedWithTheTrainingLevelsEvenWhenItsOwnCodesDiffer() throws IOException {
    Csv train = csv("c,y\nb,0\na,1\n", "y", List.of(), List.of("c"), Csv.Unknown.ERROR, Csv.Missing.ERROR, true);
    Dataset trainRows = train.load();
    Path other = dir.resolve("other.csv");
    Files.writeString(other, "c,y\na,1\nb,0\n"); // 'a' is code 0 here but code 1 in the training file
    Dataset test = new Csv(new Csv.Params(other, "y", List.of(), List.of("c"), Csv.Unknown.ERROR, Csv.Missing.ERROR, 0, NA, true, ",", "\"", false)).load();
    Dataset.InMemory[] out = preprocess(train, trainRows, test);
    assertThat(out[1].features().data()).containsExactly(1, 0, 0, 1); // a, then b
  }

  @Test
  void streamingGivesTheSameRowsFromAMemoryMappedCacheThatIsReusedAndNeverHalfWritten() throws IOException {
    Path cache = dir.resolve("cache");
    String previous = System.getProperty("neurite.cache");
    System.setProperty("neurite.cache", cache.toString());
    try {
      StringBuilder rows = new StringBuilder("x,colour,y\n");
      for (int i = 0; i < 5000; i++) rows.append(i * 0.5).append(',').append(i % 3 == 0 ? "red" : "blue").append(',').append(i % 2).append('\n');
      Path f = dir.resolve("big.csv");
      Files.writeString(f, rows.toString());
      Csv.Params memory = new Csv.Params(f, "y", List.of(), List.of("colour"), Csv.Unknown.ERROR, Csv.Missing.ERROR, 0, NA, true, ",", "\"", false);
      Csv.Params streamed = new Csv.Params(f, "y", List.of(), List.of("colour"), Csv.Unknown.ERROR, Csv.Missing.ERROR, 0, NA, true, ",", "\"", true);
      Dataset.InMemory a = new Csv(memory).load().materialize();
      Dataset s = new Csv(streamed).load();
      Dataset.InMemory b = s.materialize();
      assertThat(b.features().data()).containsExactly(a.features().data());
      assertThat(b.targets().data()).containsExactly(a.targets().data());
      assertThat(b.featureNames()).isEqualTo(a.featureNames());
      assertThat(b.categories()).isEqualTo(a.categories());
      assertThat(s.report()).containsEntry("rows", 5000);
      try (var folders = Files.list(cache.resolve("csv"))) {
        List<Path> published = folders.toList();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).resolve("features.npy")).hasSize(128 + 5000 * 2 * 4);
        long written = Files.getLastModifiedTime(published.get(0).resolve("features.npy")).toMillis();
        new Csv(streamed).load(); // reused, not rewritten
        assertThat(Files.getLastModifiedTime(published.get(0).resolve("features.npy")).toMillis()).isEqualTo(written);
      }
      // a file that fails half-way publishes nothing
      Files.writeString(f, rows + "1,red,oops\n");
      assertThatThrownBy(() -> new Csv(streamed).load()).hasMessage(f + ":5002: column 'y' (field 3): 'oops' is not a finite number");
      try (var folders = Files.list(cache.resolve("csv"))) {
        assertThat(folders.toList()).hasSize(1);
      }
    } finally {
      if (previous == null) System.clearProperty("neurite.cache");
      else System.setProperty("neurite.cache", previous);
    }
  }

  @Test
  void aConversionRemovesTheTemporaryFoldersOfDeadProcessesOnly() throws IOException {
    Path cache = dir.resolve("cache");
    String previous = System.getProperty("neurite.cache");
    System.setProperty("neurite.cache", cache.toString());
    try {
      Path f = dir.resolve("small.csv");
      Files.writeString(f, "x,y\n1,0\n2,1\n3,0\n");
      Csv.Params streamed = new Csv.Params(f, "y", List.of(), List.of(), Csv.Unknown.ERROR, Csv.Missing.ERROR, 0, NA, true, ",", "\"", true);
      new Csv(streamed).load();
      Path published;
      try (var folders = Files.list(cache.resolve("csv"))) {
        published = folders.toList().get(0);
      }
      try (var files = Files.walk(published)) { // unpublish it, so that the next load converts again
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
      }
      // what a conversion killed half-way leaves (its pid is no process's), and one still running (ours)
      Path dead = published.resolveSibling(published.getFileName() + ".tmp-999999999-1");
      Path live = published.resolveSibling(published.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-1");
      Files.createDirectories(dead);
      Files.writeString(dead.resolve("features.npy"), "half");
      Files.createDirectories(live);
      assertThat(new Csv(streamed).load().size()).isEqualTo(3);
      assertThat(dead).doesNotExist();
      assertThat(live).isDirectory();
      assertThat(published.resolve("meta.properties")).isRegularFile();
    } finally {
      if (previous == null) System.clearProperty("neurite.cache");
      else System.setProperty("neurite.cache", previous);
    }
  }
}
