package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.inference.Generator;
import dev.neurite.inference.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A language model from text, end to end through the command line: train, evaluate, generate. */
class SequencesTest {
  @TempDir Path tmp;

  /** A tiny corpus whose next character is nearly always determined: "abcabc..." lines. */
  private Path languageModel(String... set) throws IOException {
    Path text = tmp.resolve("abc.txt");
    Files.writeString(text, "abcdefgh\n".repeat(300));
    Path config = tmp.resolve("abc.yaml");
    Files.writeString(config, """
        name: abc
        seed: 3
        data:
          source: {type: text, paths: [%s], window: 16, stride: 8}
          split: {train: 0.8, test: 0.2}
        model:
          layers:
            - {type: embedding, vocabulary: 12, dimension: 8}
            - {type: gru, units: 24, return_sequences: true}
            - {type: dense, units: 12}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.02}
        training: {epochs: 6, batch_size: 16}
        metrics: [loss, accuracy, perplexity, bits_per_character]
        """.formatted(text.toAbsolutePath()));
    Path run = tmp.resolve("run" + String.join("", set).replaceAll("[^a-z0-9]", "-"));
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", config.toString(), "--out", run.toString(), "--quiet"));
    for (String s : set) {
      args.add("--set");
      args.add(s);
    }
    CommandLineTest.Result r = CommandLineTest.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return run;
  }

  /** The test split's line of {@code ./neurite evaluate RUN}: {@code test (N rows): loss ...  accuracy ...}. */
  private static String testLine(Path run) {
    CommandLineTest.Result evaluated = CommandLineTest.run("evaluate", run.toString());
    assertThat(evaluated.code()).as(evaluated.err()).isZero();
    return evaluated.out().lines().filter(l -> l.startsWith("test")).findFirst().orElseThrow();
  }

  /** A metric's value in an evaluate line. */
  private static double figure(String line, String metric) {
    return Double.parseDouble(line.replaceAll(".*" + metric + " ([0-9.]+).*", "$1"));
  }

  @Test
  void aCharacterModelLearnsItsTextAndGeneratesTheSameTextForTheSameSeed() throws IOException {
    Path run = languageModel();
    // every character but the first of a line follows from the one before: nearly all tokens are right
    String line = testLine(run);
    assertThat(figure(line, "accuracy")).isGreaterThan(0.95);
    assertThat(figure(line, "bits_per_character")).isLessThan(0.3);

    CommandLineTest.Result greedy = CommandLineTest.run("generate", run.toString(), "--prompt", "abc", "--length", "20",
        "--temperature", "0");
    assertThat(greedy.code()).as(greedy.err()).isZero();
    assertThat(greedy.out()).isEqualTo("abcdefgh\nabcdefgh\nabcde\n");
    CommandLineTest.Result a = CommandLineTest.run("generate", run.toString(), "--prompt", "de", "--length", "300", "--seed", "5");
    CommandLineTest.Result b = CommandLineTest.run("generate", run.toString(), "--prompt", "de", "--length", "300", "--seed", "5");
    CommandLineTest.Result c = CommandLineTest.run("generate", run.toString(), "--prompt", "de", "--length", "300", "--seed", "6",
        "--temperature", "3");
    assertThat(a.out()).isEqualTo(b.out()).startsWith("de").hasSize(2 + 300 + 1);
    assertThat(c.out()).isNotEqualTo(a.out());

    // the report scores every step as a row, as the accuracy metric does
    String report = Files.readString(run.resolve("report.html"));
    int testRows = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject()
        .getAsJsonObject("rows").get("test").getAsInt();
    assertThat(report).contains((testRows * 16) + " steps (" + testRows + " rows of 16), 12 classes;");

    // the Java API gives what the command prints, the context longer than the window included
    Generator generator = new Generator(Predictor.load(run));
    assertThat(generator.generate("de", 300, 1.0, 5) + "\n").isEqualTo(a.out());
  }

  @Test
  void generateRefusesARunThatDoesNotReadTextAndBadOptions() throws IOException {
    Path run = tmp.resolve("xor");
    assertThat(CommandLineTest.run("train", "xor.yaml", "--out", run.toString(), "--quiet").code()).isZero();
    CommandLineTest.Result r = CommandLineTest.run("generate", run.toString(), "--prompt", "a");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("the run does not read text: generate needs a run of the text source");
    CommandLineTest.Result negative = CommandLineTest.run("generate", run.toString(), "--prompt", "a", "--temperature", "-1");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("--temperature must be 0 or more, got -1.0");
  }

  /** training.bptt cuts the gradient through the state every bptt steps: a block as long as the window changes nothing. */
  @Test
  void truncatedBackpropagationThroughTimeChangesTheWeightsOnlyWhenItCutsTheWindow() throws IOException {
    byte[] whole = Files.readAllBytes(languageModel().resolve("weights.safetensors"));
    byte[] window = Files.readAllBytes(languageModel("training.bptt=16").resolve("weights.safetensors"));
    byte[] cut = Files.readAllBytes(languageModel("training.bptt=4").resolve("weights.safetensors"));
    assertThat(window).isEqualTo(whole);
    assertThat(cut).isNotEqualTo(whole);
  }

  /**
   * Sentences of 1 to 12 random words, padded to 12: the class is the last word's group (first half of the
   * words or second). Reading the mask, an LSTM's last state is the one after the last real word.
   */
  private Path sentences(String name, int rows, long seed) throws IOException {
    String[] words = {"apple", "brick", "cloud", "delta", "ember", "frost", "grain", "harbor", "iris", "jade"};
    java.util.Random r = new java.util.Random(seed);
    StringBuilder csv = new StringBuilder("id,sentence,group\n");
    for (int i = 0; i < rows; i++) {
      int n = 1 + r.nextInt(12);
      StringBuilder s = new StringBuilder();
      int last = 0;
      for (int j = 0; j < n; j++) {
        last = r.nextInt(words.length);
        s.append(j == 0 ? "" : " ").append(words[last]);
      }
      csv.append(i).append(",\"").append(s).append("\",").append(last < words.length / 2 ? 0 : 1).append('\n');
    }
    Path file = tmp.resolve(name);
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void aClassifierOfPaddedSentencesReadsEachSentenceToItsLastRealWordAndPredictsNewOnes() throws IOException {
    Path data = sentences("sentences.csv", 1200, 1);
    Path config = tmp.resolve("last-word.yaml");
    Files.writeString(config, """
        name: last-word
        seed: 2
        data:
          source: {type: text, paths: [%s], column: sentence, label: group, tokens: words, max_length: 12}
          split: {train: 0.8, test: 0.2, stratify: true}
        model:
          layers:
            - {type: embedding, vocabulary: 12, dimension: 8, padding_index: 0}
            - {type: lstm, units: 16}
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.01}
        training: {epochs: 8, batch_size: 32}
        metrics: [loss, accuracy]
        """.formatted(data.toAbsolutePath()));
    Path run = tmp.resolve("last-word-run");
    CommandLineTest.Result trained = CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    String line = testLine(run);
    assertThat(figure(line, "accuracy")).as(line).isGreaterThan(0.97);

    // new sentences, the label column absent: predict reads the text column with the run's vocabulary
    Path fresh = tmp.resolve("fresh.csv");
    Files.writeString(fresh, "sentence\napple brick jade\njade jade apple\nember\nfrost\nunknown words then iris\n");
    CommandLineTest.Result predicted = CommandLineTest.run("predict", run.toString(), fresh.toString());
    assertThat(predicted.code()).as(predicted.err()).isZero();
    assertThat(predicted.out().lines().skip(1).map(l -> l.split(",")[0]).toList()).containsExactly("1", "0", "0", "1", "1");
  }

  @Test
  void aLanguageModelOfLinesLeavesThePaddingOutOfItsLossAndMetrics() throws IOException {
    Path text = tmp.resolve("lines.txt");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 400; i++) b.append("abcdefgh", 0, 2 + i % 7).append('\n'); // lines "ab" .. "abcdefgh"
    Files.writeString(text, b);
    Path config = tmp.resolve("lines.yaml");
    Files.writeString(config, """
        name: lines
        seed: 3
        data:
          source: {type: text, paths: [%s], max_length: 8}
          split: {train: 0.8, test: 0.2}
        model:
          layers:
            - {type: embedding, vocabulary: 11, dimension: 8, padding_index: 0}
            - {type: gru, units: 16, return_sequences: true}
            - {type: dense, units: 11}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.02}
        training: {epochs: 6, batch_size: 16}
        metrics: [loss, accuracy, bits_per_character]
        """.formatted(text.toAbsolutePath()));
    Path run = tmp.resolve("lines-run");
    CommandLineTest.Result trained = CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    String line = testLine(run);
    // every real step's next letter follows from its letter: padded steps, which have no target, would pull this far down
    assertThat(figure(line, "accuracy")).as(line).isGreaterThan(0.99);
    assertThat(figure(line, "bits_per_character")).as(line).isLessThan(0.1);
    // the report scores real steps only, and its class balance has no class for the padding's target
    String report = Files.readString(run.resolve("report.html"));
    assertThat(report).containsPattern("\\d+ steps \\(80 rows of 8, less \\d+ padded steps\\), 11 classes").doesNotContain(">-100<");
    CommandLineTest.Result refused = CommandLineTest.run("predict", run.toString(), text.toString());
    assertThat(refused.err()).contains("gives [8, 11] per sample (a value per step); predict writes one row");
  }

  @Test
  void anLstmLearnsToRecallTheCopyMemorySymbolsBeyondTheBlankBaseline() throws IOException {
    Path config = tmp.resolve("copy.yaml");
    Files.writeString(config, """
        name: copy
        seed: 5
        data:
          source: {type: synthetic, kind: copy_memory, samples: 10000, length: 5}
          split: {train: 0.9, test: 0.1}
        model:
          layers:
            - {type: embedding, vocabulary: 10, dimension: 16}
            - {type: lstm, units: 64, return_sequences: true, forget_bias: 1}
            - {type: dense, units: 10}
        loss: softmax_cross_entropy
        optimizer: {type: adam, lr: 0.005}
        training: {epochs: 15, batch_size: 32, clip_norm: 1.0}
        metrics: [loss, token_cross_entropy]
        """);
    Path run = tmp.resolve("copy-run");
    CommandLineTest.Result trained = CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet");
    assertThat(trained.code()).as(trained.err()).isZero();
    String line = testLine(run);
    double baseline = 10 * Math.log(8) / 25; // blanks, then a guess among the 8 symbols: 0.832 nats per step
    assertThat(figure(line, "token_cross_entropy")).as(line).isLessThan(baseline / 4);
  }
}
