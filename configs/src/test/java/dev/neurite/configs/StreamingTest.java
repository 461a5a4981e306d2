package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV larger than the heap trains: a generated 2 GB file (about 3.5 million rows of 100 features)
 * goes through {@code stream: true} into a memory-mapped cache and trains one epoch in a child
 * JVM limited to {@code -Xmx256m}, where holding the rows on the heap (1.4 GB as floats) would
 * fail. CI runs it once, on the default JDK; {@code -Dneurite.skipLargeTests=true} skips it.
 */
@DisabledIfSystemProperty(named = "neurite.skipLargeTests", matches = "true", disabledReason = "large tests are run once, on the default JDK")
class StreamingTest {
  static final long TWO_GB = 2L * 1024 * 1024 * 1024;
  static final int FEATURES = 100;

  @TempDir Path tmp;

  @Test
  void aTwoGigabyteCsvTrainsOneEpochUnderA256MegabyteHeap() throws Exception {
    Path csv = tmp.resolve("big.csv");
    long rows = generate(csv);
    assertThat(Files.size(csv)).isGreaterThanOrEqualTo(TWO_GB);
    Path config = tmp.resolve("big.yaml");
    Files.writeString(config, """
        name: big
        seed: 5
        data:
          source: {type: csv, path: big.csv, label: y, stream: true}
          split: {train: 0.99, test: 0.01}
          transforms: [standardize]
        model:
          layers:
            - {type: dense, units: 32, activation: relu}
            - {type: dense, units: 2}
        loss: softmax_cross_entropy
        optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
        training: {epochs: 1, batch_size: 512}
        metrics: [accuracy]
        """);
    Path run = tmp.resolve("run");
    List<String> flags = List.of("-Xmx256m", "-Dneurite.cache=" + tmp.resolve("cache"));
    long start = System.nanoTime();
    Process p = ChildJvm.start(tmp.resolve("out.txt"), flags, "train", config.toString(), "--out", run.toString(), "--quiet");
    boolean done = p.waitFor(30, TimeUnit.MINUTES);
    if (!done) p.destroyForcibly();
    String output = Files.readString(tmp.resolve("out.txt"));
    assertThat(done).as("the run finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    JsonObject summary = JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject();
    assertThat(summary.get("status").getAsString()).isEqualTo("completed");
    assertThat(summary.getAsJsonObject("data").getAsJsonObject("source").get("rows").getAsLong()).isEqualTo(rows);
    // the label is x0 > 0.5, which one epoch learns
    assertThat(summary.getAsJsonObject("test").get("accuracy").getAsDouble()).isGreaterThan(0.95);
    double seconds = (System.nanoTime() - start) / 1e9;

    // the control: the same file read onto the heap does not fit in 256 MB
    Path inMemory = tmp.resolve("heap.yaml");
    Files.writeString(inMemory, Files.readString(config).replace("stream: true", "stream: false"));
    Process h = ChildJvm.start(tmp.resolve("heap.txt"), flags, "train", inMemory.toString(), "--out", tmp.resolve("heap-run").toString(),
        "--quiet");
    assertThat(h.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(h.exitValue()).isNotZero();
    assertThat(Files.readString(tmp.resolve("heap.txt"))).contains("error: out of memory (Java heap space)");
    System.out.printf("streaming: %d rows, %.2f GB, trained one epoch under -Xmx256m in %.1f s%n",
        rows, Files.size(csv) / 1e9, seconds);
  }

  /** Writes at least 2 GiB of rows: 100 features with three decimals, then the label x0 > 0.5. */
  private static long generate(Path csv) throws IOException {
    String[] cells = new String[1000];
    for (int i = 0; i < 1000; i++) cells[i] = String.format("0.%03d", i);
    dev.neurite.spi.RandomStream r = new dev.neurite.spi.RandomStream(1);
    long rows = 0;
    long bytes = 0;
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.US_ASCII)) {
      StringBuilder header = new StringBuilder();
      for (int j = 0; j < FEATURES; j++) header.append('x').append(j).append(',');
      w.write(header.append("y\n").toString());
      StringBuilder line = new StringBuilder(FEATURES * 6 + 4);
      while (bytes < TWO_GB) {
        line.setLength(0);
        int first = 0;
        for (int j = 0; j < FEATURES; j++) {
          int v = r.nextInt(1000);
          if (j == 0) first = v;
          line.append(cells[v]).append(',');
        }
        line.append(first > 500 ? '1' : '0').append('\n');
        w.append(line);
        bytes += line.length();
        rows++;
      }
    }
    return rows;
  }
}
