package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.run.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training stopped by SIGKILL, SIGTERM or SIGINT at a random moment (from the JVM's first second,
 * before the run directory exists, to the last epoch; with a checkpoint every 5 steps many land
 * in a checkpoint write), then continued with {@code resume} (or trained again when no directory
 * appeared), ends with the uninterrupted run's weights, byte for byte. The trial count is
 * {@code -Dneurite.killTrials} (5 by default; 50 for the figure the docs quote).
 */
class KillAnywhereTest {
  static final int TRIALS = Integer.getInteger("neurite.killTrials", 5);
  @TempDir static Path shared;
  static Path config;
  static String expectedSha;

  @BeforeAll
  static void uninterrupted() throws IOException {
    config = shared.resolve("digits.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: 40, batch_size: 32, checkpoint_every_steps: 5}"));
    expectedSha = ShippedConfigsTest.train(config, shared.resolve("uninterrupted")).weightsSha256();
  }

  @Test
  void aSignalAtAnyMomentThenResumeGivesTheUninterruptedWeights(@TempDir Path tmp) throws Exception {
    Random random = new Random(20261204);
    List<String> outcomes = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      Path run = tmp.resolve("run-" + trial);
      Path log = tmp.resolve("train-" + trial + ".log");
      Process train = ChildJvm.start(log, List.of(), "train", config.toString(), "--out", run.toString(), "--quiet");
      // even trials: a moment from the JVM's start (most land before the directory exists);
      // odd trials: a moment after the directory appears (before, during or between checkpoint writes)
      boolean fromStart = trial % 2 == 0;
      long delay = fromStart ? random.nextInt(3000) : random.nextInt(800);
      String signal = List.of("KILL", "TERM", "INT").get(random.nextInt(3));
      if (!fromStart) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isDirectory(run) && train.isAlive() && System.nanoTime() < deadline) Thread.sleep(1);
      }
      Thread.sleep(delay);
      new ProcessBuilder("kill", "-" + signal, Long.toString(train.pid())).start().waitFor();
      assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String stage;
      CommandLineTest.Result r;
      if (Files.isRegularFile(run.resolve("weights.safetensors"))) {
        stage = "finished before the signal";
        r = CommandLineTest.run("resume", run.toString(), "--quiet"); // a completed run: nothing changes
      } else if (Files.isDirectory(run)) {
        r = CommandLineTest.run("resume", run.toString(), "--quiet");
        stage = r.err().contains("has no checkpoint") ? "resumed from step 0" : "resumed from a checkpoint";
      } else {
        stage = "no directory yet, trained again";
        r = CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet");
      }
      String context = "trial " + trial + ": SIG" + signal + " after " + delay + " ms, " + stage + "\n" + Files.readString(log) + r.err();
      assertThat(r.code()).as(context).isZero();
      assertThat(Hashes.sha256(run.resolve("weights.safetensors"))).as(context).isEqualTo(expectedSha);
      assertThat(r.err()).as(context).doesNotContain("internal error");
      outcomes.add("SIG" + signal + " " + delay + " ms after " + (fromStart ? "start" : "the directory appeared") + ": " + stage);
    }
    Map<String, Long> counts = new TreeMap<>();
    outcomes.forEach(o -> counts.merge(o.substring(o.lastIndexOf(": ") + 2), 1L, Long::sum));
    System.out.println("KillAnywhereTest: " + TRIALS + " of " + TRIALS + " byte-identical " + counts + "\n  " + String.join("\n  ", outcomes));
  }
}
