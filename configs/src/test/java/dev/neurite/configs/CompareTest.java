package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.report.Comparison;
import dev.neurite.run.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./neurite compare}: three digits runs, ranked by a metric in the text table and in
 * compare.html, with their config differences and overlaid curves; a sweep directory, whose
 * compare.html {@code sweep} writes and which also charts each swept parameter against the metric.
 */
class CompareTest {
  @TempDir static Path shared;
  static Path config;
  static List<Path> runs = new ArrayList<>();
  @TempDir Path tmp;

  @BeforeAll
  static void threeRuns() throws IOException {
    config = shared.resolve("digits.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: 4, batch_size: 32}"));
    for (String lr : List.of("0.001", "0.01", "0.05")) {
      runs.add(TrainingRun.train(ShippedConfigsTest.REGISTRY, List.of(config), List.of("optimizer.lr=" + lr),
          new TrainingRun.Options(shared.resolve("lr-" + lr), null, List.of())).directory());
    }
  }

  private static double testAccuracy(Path run) {
    try {
      return com.google.gson.JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject()
          .getAsJsonObject("test").get("accuracy").getAsDouble();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void threeRunsAreRankedByTheMetricWithTheirConfigDifferences() throws IOException {
    Path html = tmp.resolve("compare.html");
    CommandLineTest.Result r = CommandLineTest.run("compare", runs.get(0).toString(), runs.get(1).toString(), runs.get(2).toString(),
        "--out", html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<Path> best = runs.stream().sorted(Comparator.comparingDouble(CompareTest::testAccuracy).reversed()).toList();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("rank +run +test\\.accuracy +optimizer\\.lr");
    for (int i = 0; i < 3; i++) {
      assertThat(lines.get(i + 1)).matches(" *" + (i + 1) + " +" + best.get(i).getFileName() + " +" + String.format(java.util.Locale.ROOT,
          "%.4f", testAccuracy(best.get(i))).replace(".", "\\.") + " +" + best.get(i).getFileName().toString().substring(3).replace(".", "\\."));
    }
    assertThat(lines.get(4)).isEqualTo("comparison: " + html);
    Document doc = ReportTest.page(html);
    Element ranking = doc.getElementById("ranking-table");
    assertThat(ranking.select("tbody tr").stream().map(tr -> tr.child(1).text()).toList())
        .containsExactlyElementsOf(best.stream().map(p -> p.getFileName().toString()).toList());
    int accuracyColumn = ranking.select("thead th").eachText().indexOf("test.accuracy");
    for (int i = 0; i < 3; i++) {
      assertThat(Double.parseDouble(ranking.select("tbody tr").get(i).child(accuracyColumn).attr("data-value"))).isEqualTo(testAccuracy(best.get(i)));
    }
    Element differences = doc.getElementById("config-differences");
    assertThat(differences.select("tbody tr").eachText()).hasSize(1);
    assertThat(differences.select("tbody tr").first().text()).startsWith("optimizer.lr");
    assertThat(doc.select("img").eachAttr("alt")).containsExactly("curve-train_loss", "curve-train_accuracy");
    assertThat(doc.select("script")).isEmpty();
    for (Element img : doc.select("img")) {
      ReportTest.assertNotBlank(java.util.Base64.getDecoder().decode(img.attr("src").substring("data:image/png;base64,".length())), img.attr("alt"));
    }
  }

  @Test
  void aLossRanksLowestFirstAndTheGoalCanBeGiven() {
    CommandLineTest.Result r = CommandLineTest.run("compare", runs.get(0).toString(), runs.get(2).toString(), "--metric", "train.loss",
        "--out", tmp.resolve("c.html").toString());
    assertThat(r.code()).as(r.err()).isZero();
    CommandLineTest.Result reversed = CommandLineTest.run("compare", runs.get(0).toString(), runs.get(2).toString(), "--metric", "train.loss",
        "--goal", "max", "--out", tmp.resolve("c.html").toString());
    String firstLow = r.out().lines().skip(1).findFirst().orElseThrow();
    String firstHigh = reversed.out().lines().skip(1).findFirst().orElseThrow();
    assertThat(firstLow).isNotEqualTo(firstHigh);
    assertThat(firstLow).contains("lr-0.05"); // the largest rate fits the training split best in 4 epochs
  }

  @Test
  void badArgumentsAreErrorsSayingWhatIsValid() {
    CommandLineTest.Result noSplit = CommandLineTest.run("compare", runs.get(0).toString(), "--metric", "accuracy");
    assertThat(noSplit.code()).isNotZero();
    assertThat(noSplit.err()).contains("--metric must be SPLIT.NAME, e.g. test.accuracy; got 'accuracy'");
    CommandLineTest.Result goal = CommandLineTest.run("compare", runs.get(0).toString(), "--goal", "up");
    assertThat(goal.code()).isEqualTo(2);
    assertThat(goal.err()).contains("--goal must be max or min, got 'up'");
    CommandLineTest.Result notRun = CommandLineTest.run("compare", tmp.toString());
    assertThat(notRun.err()).contains(tmp + " is not a run directory: it has no config.yaml");
  }

  @Test
  void aSweepWritesItsComparisonWithEachSweptParameterAgainstTheMetric() throws IOException {
    // the shipped sweep: 3 learning rates x 2 widths of the digits MLP (40 epochs); the largest rate diverges
    Path digits = tmp.resolve("digits-40.yaml");
    Files.writeString(digits, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    Path dir = tmp.resolve("sweep");
    CommandLineTest.Result r = CommandLineTest.run("sweep", digits.toString(), "digits-sweep.yaml", "--out", dir.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).contains("comparison: " + dir.resolve(Comparison.FILE));
    Document doc = ReportTest.page(dir.resolve(Comparison.FILE));
    assertThat(doc.select("img").eachAttr("alt")).startsWith("sweep-optimizer.lr", "sweep-model.layers[0].units");
    List<String> order = doc.getElementById("ranking-table").select("tbody tr").stream()
        .map(tr -> tr.child(1).text()).toList();
    // sweep prints the same ranking
    List<String> printed = (r.out() + r.err()).lines().filter(l -> l.matches(" +[0-9]\\. trial [0-9].*"))
        .map(l -> String.format("trial-%03d", Integer.parseInt(l.replaceAll(" +[0-9]\\. trial ([0-9]+).*", "$1")))).toList();
    assertThat(order).containsExactlyElementsOf(printed).hasSize(6);
    // every trial has its report, the diverged ones too (their curves up to the divergence)
    for (int t = 1; t <= 6; t++) assertThat(dir.resolve(String.format("trial-%03d", t)).resolve("report.html")).exists();
    assertThat(ReportTest.page(dir.resolve("trial-006/report.html")).getElementById("run").text()).contains("failed", "training diverged");
    assertThat(doc.getElementById("config-differences").select("tbody tr").eachText())
        .anyMatch(t -> t.startsWith("optimizer.lr")).anyMatch(t -> t.startsWith("model.layers[0].units"));
    // compare of the sweep directory writes the same page again
    String before = Files.readString(dir.resolve(Comparison.FILE));
    Files.delete(dir.resolve(Comparison.FILE));
    CommandLineTest.Result again = CommandLineTest.run("compare", dir.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("rank  run        test.accuracy  model.layers[0].units  optimizer.lr");
    assertThat(Files.readString(dir.resolve(Comparison.FILE))).isEqualTo(before);
  }
}
