package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.neurite.report.RunReport;
import dev.neurite.report.Table;
import dev.neurite.run.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html and plots/: every section of a classification run on images (the digits CNN), a
 * tabular classification run (iris), a regression run, a run from before diagnostics and a failed
 * run; the numbers in the page are those of summary.json and metrics.csv (read back from the HTML),
 * every chart decodes and is not blank, and nothing is loaded from outside the page.
 */
class ReportTest {
  @TempDir static Path shared;
  static Path cnn;
  static Path iris;
  static Path regression;
  @TempDir Path tmp;

  @BeforeAll
  static void train() throws IOException {
    cnn = ShippedConfigsTest.train(Path.of("digits-cnn.yaml"), shared.resolve("cnn")).directory();
    iris = ShippedConfigsTest.train(Path.of("iris.yaml"), shared.resolve("iris")).directory();
    Path config = shared.resolve("regression.yaml");
    Files.writeString(config, """
        name: regression
        seed: 3
        data:
          source: {type: synthetic, kind: regression, samples: 400, features: 3}
          split: {train: 0.75, test: 0.25}
          transforms: [standardize]
        model:
          layers: [{type: dense, units: 16, activation: relu}, {type: dense, units: 1}]
        loss: mse
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 30, batch_size: 32}
        metrics: [loss, mae]
        """);
    regression = ShippedConfigsTest.train(config, shared.resolve("regression")).directory();
  }

  static Document page(Path file) throws IOException {
    return Jsoup.parse(Files.readString(file));
  }

  private static JsonObject summary(Path run) throws IOException {
    return JsonParser.parseString(Files.readString(run.resolve(RunDirectory.SUMMARY))).getAsJsonObject();
  }

  /** A table's cells as exact numbers (data-value), row by row; text cells are NaN. */
  static List<double[]> numbers(Element table) {
    List<double[]> rows = new ArrayList<>();
    for (Element tr : table.select("tbody tr")) {
      rows.add(tr.select("td").stream().mapToDouble(td -> td.hasAttr("data-value") ? Double.parseDouble(td.attr("data-value")) : Double.NaN)
          .toArray());
    }
    return rows;
  }

  @Test
  void anImageClassificationRunsReportHasEverySectionAndTheRunsNumbers() throws IOException {
    Path file = cnn.resolve(RunReport.FILE);
    assertThat(Files.size(file)).as("self-contained, under 2 MB").isLessThan(2L << 20);
    Document doc = page(file);
    for (String id : List.of("overview", "curves", "evaluation", "diagnostics", "model", "data", "config", "provenance")) {
      assertThat(doc.getElementById(id)).as("section " + id).isNotNull();
    }
    // final metrics: the page's table equals summary.json
    JsonObject summary = summary(cnn);
    Element finals = doc.getElementById("final-metrics");
    List<String> header = finals.select("thead th").eachText();
    assertThat(header).containsExactly("split", "loss", "accuracy");
    for (Element tr : finals.select("tbody tr")) {
      String split = tr.child(0).text();
      for (int c = 1; c < header.size(); c++) {
        assertThat(Double.parseDouble(tr.child(c).attr("data-value")))
            .isEqualTo(summary.getAsJsonObject(split).get(header.get(c)).getAsDouble());
      }
    }
    assertThat(finals.select("tbody tr").eachText()).hasSize(2); // train and test
    // per-epoch metrics: the page's table equals metrics.csv, value for value
    Table metrics = Table.read(cnn.resolve(RunDirectory.METRICS));
    Element table = doc.getElementById("metrics");
    assertThat(table.select("thead th").eachText()).isEqualTo(metrics.columns());
    List<double[]> shown = numbers(table);
    assertThat(shown).hasSize(15);
    for (int r = 0; r < shown.size(); r++) assertThat(shown.get(r)).containsExactly(metrics.rows().get(r));
    // the evaluation: per-class rows add up to the test split, and the accuracy is summary.json's
    List<double[]> perClass = numbers(doc.getElementById("per-class"));
    assertThat(perClass).hasSize(10);
    assertThat(perClass.stream().mapToDouble(r -> r[1]).sum()).isEqualTo(summary.getAsJsonObject("rows").get("test").getAsDouble());
    double accuracy = summary.getAsJsonObject("test").get("accuracy").getAsDouble();
    assertThat(doc.getElementById("evaluation").nextElementSibling().text())
        .contains(String.format(java.util.Locale.ROOT, "(accuracy %.4f)", accuracy));
    // the model summary's totals are summary.json's
    List<double[]> model = numbers(doc.getElementById("model-summary"));
    assertThat(model.get(model.size() - 1)[3]).isEqualTo(summary.get("parameters").getAsDouble());
    // class balance over all three splits adds up to the data
    List<double[]> balance = numbers(doc.getElementById("class-balance"));
    assertThat(balance.stream().mapToDouble(r -> r[1] + r[2]).sum()).isEqualTo(1797);
    assertThat(doc.getElementById("transforms").text()).contains("transforms.0.mean", "transforms.0.std");
    assertThat(doc.select("pre").text()).contains("name: digits-cnn", "type: conv2d");
    assertThat(doc.getElementById("provenance").nextElementSibling().text()).contains("weights_sha256", summary.get("weights_sha256").getAsString());
    assertThat(plots(cnn)).contains("curve-loss.png", "curve-accuracy.png", "learning-rate.png", "epoch-seconds.png", "confusion-matrix.png",
        "confident-mistakes.png", "diagnostics-grad-norm.png", "diagnostics-weight-norm.png", "diagnostics-update-ratio.png",
        "diagnostics-dead-units.png", "diagnostics-activation-mean.png", "diagnostics-activation-std.png");
    assertSelfContainedWithEveryPlotInline(cnn);
  }

  /** The page's images are the plots' PNGs, byte for byte, each decodable and not blank; no script, stylesheet or image from elsewhere. */
  static void assertSelfContainedWithEveryPlotInline(Path run) throws IOException {
    Document doc = page(run.resolve(RunReport.FILE));
    assertThat(doc.select("script")).isEmpty();
    assertThat(doc.select("link[rel=stylesheet]")).isEmpty();
    Set<String> inline = new HashSet<>();
    for (Element img : doc.select("img")) {
      assertThat(img.attr("src")).startsWith("data:image/png;base64,");
      byte[] png = Base64.getDecoder().decode(img.attr("src").substring("data:image/png;base64,".length()));
      assertNotBlank(png, img.attr("alt"));
      inline.add(img.attr("alt") + ".png");
      assertThat(png).as(img.attr("alt")).isEqualTo(Files.readAllBytes(run.resolve("plots").resolve(img.attr("alt") + ".png")));
    }
    assertThat(inline).isEqualTo(new HashSet<>(plots(run)));
  }

  static List<String> plots(Path run) throws IOException {
    try (Stream<Path> files = Files.list(run.resolve(RunReport.PLOTS))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Decodes, and has ink: at least 1 % of its pixels are not the background (the corner pixel's colour). */
  static void assertNotBlank(byte[] png, String name) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as(name + " decodes").isNotNull();
    int background = image.getRGB(0, 0);
    long ink = 0;
    for (int y = 0; y < image.getHeight(); y++) for (int x = 0; x < image.getWidth(); x++) if (image.getRGB(x, y) != background) ink++;
    assertThat(ink).as(name + ": pixels other than the background").isGreaterThan((long) image.getWidth() * image.getHeight() / 100);
  }

  @Test
  void aTabularClassificationRunHasAConfusionMatrixAndNoImageGrid() throws IOException {
    Document doc = page(iris.resolve(RunReport.FILE));
    assertThat(numbers(doc.getElementById("per-class"))).hasSize(3);
    assertThat(plots(iris)).contains("confusion-matrix.png").doesNotContain("confident-mistakes.png", "predicted-vs-true.png");
    assertSelfContainedWithEveryPlotInline(iris);
  }

  @Test
  void aRegressionRunShowsPredictedAgainstTrueAndResiduals() throws IOException {
    Document doc = page(regression.resolve(RunReport.FILE));
    assertThat(plots(regression)).contains("predicted-vs-true.png", "residuals.png", "curve-mae.png")
        .doesNotContain("confusion-matrix.png");
    assertThat(doc.getElementById("per-class")).isNull();
    // the page's mean absolute error is the test split's mae in summary.json
    double mae = summary(regression).getAsJsonObject("test").get("mae").getAsDouble();
    String text = doc.getElementById("evaluation").nextElementSibling().text();
    assertThat(text).contains("mean absolute error " + dev.neurite.train.Numbers.format(mae));
    assertSelfContainedWithEveryPlotInline(regression);
  }

  @Test
  void aRunFromBeforeDiagnosticsStillGetsAReportWithoutThem() throws IOException {
    Path old = tmp.resolve("old");
    copy(iris, old);
    Files.delete(old.resolve(RunDirectory.DIAGNOSTICS));
    Files.delete(old.resolve(RunReport.FILE));
    deleteTree(old.resolve(RunReport.PLOTS));
    CommandLineTest.Result r = CommandLineTest.run("report", old.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("report: " + old.resolve(RunReport.FILE));
    Document doc = page(old.resolve(RunReport.FILE));
    assertThat(doc.getElementById("diagnostics").nextElementSibling().text()).contains("This run has no diagnostics.csv");
    assertThat(plots(old)).noneMatch(p -> p.startsWith("diagnostics-")).contains("curve-loss.png", "confusion-matrix.png");
    assertSelfContainedWithEveryPlotInline(old);
  }

  @Test
  void aFailedRunGetsAReportOfWhatItHas() throws IOException {
    Path failed = tmp.resolve("failed");
    copy(iris, failed);
    Files.delete(failed.resolve(RunDirectory.WEIGHTS));
    Files.writeString(failed.resolve(RunDirectory.SUMMARY), "{\"name\": \"iris\", \"status\": \"failed\", \"error\": \"training diverged\"}");
    CommandLineTest.Result r = CommandLineTest.run("report", failed.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Document doc = page(failed.resolve(RunReport.FILE));
    assertThat(doc.getElementById("run").text()).contains("failed", "training diverged");
    assertThat(doc.getElementById("evaluation").nextElementSibling().text()).contains("has no weights.safetensors (status: failed)");
    assertThat(doc.getElementById("curves")).isNotNull();
  }

  @Test
  void reportOfSomethingElseIsAnErrorNamingIt() {
    CommandLineTest.Result r = CommandLineTest.run("report", tmp.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains(tmp + " is not a run directory: it has no config.yaml");
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** The report as train writes it is what {@code ./neurite report} writes again from the run directory (the model reloaded). */
  @Test
  void reportAgainFromTheRunDirectoryGivesTheSameNumbers() throws IOException {
    Path again = tmp.resolve("again");
    copy(cnn, again);
    Document before = page(again.resolve(RunReport.FILE));
    CommandLineTest.Result r = CommandLineTest.run("report", again.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Document after = page(again.resolve(RunReport.FILE));
    for (String id : List.of("final-metrics", "per-class", "metrics", "class-balance", "transforms", "model-summary")) {
      assertThat(after.getElementById(id).outerHtml()).as(id).isEqualTo(before.getElementById(id).outerHtml());
    }
  }
}
