package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs killed with SIGKILL (at random points, and in the middle of a checkpoint write) and resumed
 * end with the same weights, byte for byte, as the run that was never interrupted.
 */
class ResumeTest {
  static final int EPOCHS = 150;
  static final int BATCHES = 43; // 1,347 training rows of digits.csv in batches of 32
  @TempDir static Path shared;
  static Path config;
  static String expectedSha;
  @TempDir Path tmp;

  @BeforeAll
  static void uninterrupted() throws IOException {
    config = shared.resolve("digits.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString())
        .replace("training: {epochs: 40, batch_size: 32}", "training: {epochs: " + EPOCHS + ", batch_size: 32}"));
    expectedSha = ShippedConfigsTest.train(config, shared.resolve("uninterrupted")).weightsSha256();
  }

  /** Starts the CLI in a child JVM; JVM flags, if any, come before a "--" argument. */
  private static Process start(Path logFile, String... args) throws IOException {
    List<String> all = List.of(args);
    int split = all.indexOf("--");
    return split < 0 ? ChildJvm.start(logFile, List.of(), args)
        : ChildJvm.start(logFile, all.subList(0, split), all.subList(split + 1, all.size()).toArray(String[]::new));
  }

  /** Waits until the run has at least {@code n} checkpoints listed, then SIGKILLs it after {@code extraMillis}. */
  private static void killAfterCheckpoints(Process p, Path run, int n, long extraMillis) throws Exception {
    Path index = run.resolve("checkpoints/index.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.isRegularFile(index) && Files.readString(index).split("\"file\"").length - 1 >= Math.min(n, 2)
          && Files.readString(index).contains(String.format("epoch-%06d", n))) break;
      Thread.sleep(5);
    }
    Thread.sleep(extraMillis);
    p.destroyForcibly(); // SIGKILL
    p.waitFor(30, TimeUnit.SECONDS);
  }

  private static String sha(Path run) throws IOException {
    return dev.neurite.run.Hashes.sha256(run.resolve("weights.safetensors"));
  }

  @Test
  void killedTwiceAtRandomPointsAndResumedGivesTheSameWeights() throws Exception {
    java.util.Random r = new java.util.Random(20261127);
    Path run = tmp.resolve("run");
    Process train = start(tmp.resolve("train.log"), "train", config.toString(), "--out", run.toString(), "--threads", "1");
    killAfterCheckpoints(train, run, 3 + r.nextInt(20), r.nextInt(40));
    assertThat(run.resolve("weights.safetensors")).as("killed before the end").doesNotExist();
    Process resume = start(tmp.resolve("resume.log"), "resume", run.toString(), "--threads", "2");
    String index = Files.readString(run.resolve("checkpoints/index.json"));
    int done = Integer.parseInt(index.replaceAll("(?s).*epoch-0*(\\d+)\\.safetensors.*", "$1"));
    killAfterCheckpoints(resume, run, done + 5 + r.nextInt(20), r.nextInt(40));
    CommandLineTest.Result last = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(last.code()).as(last.err() + Files.readString(tmp.resolve("resume.log"))).isZero();
    assertThat(sha(run)).isEqualTo(expectedSha);
    var manifest = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("manifest.json"))).getAsJsonObject();
    assertThat(manifest.get("status").getAsString()).isEqualTo("completed");
    var resumes = manifest.getAsJsonArray("resumed");
    assertThat(resumes).hasSize(2);
    int first = resumes.get(0).getAsJsonObject().get("from_epoch").getAsInt();
    int second = resumes.get(1).getAsJsonObject().get("from_epoch").getAsInt();
    assertThat(first).isGreaterThanOrEqualTo(3); // continued from a checkpoint, not from scratch
    assertThat(second).isGreaterThan(first);
    // one metrics row per epoch, none lost or doubled
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows).hasSize(EPOCHS + 1);
    for (int e = 1; e <= EPOCHS; e++) assertThat(rows.get(e)).startsWith(e + ",");
    // the diagnostics too, and (resumed at epoch ends) the same as the uninterrupted run's but for the seconds
    assertThat(withoutSeconds(run.resolve("diagnostics.csv"))).isEqualTo(withoutSeconds(shared.resolve("uninterrupted/diagnostics.csv")));
  }

  /** A CSV's lines without their last column (seconds). */
  private static List<String> withoutSeconds(Path csv) throws IOException {
    return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }


  @Test
  void killedInTheMiddleOfACheckpointWriteResumesFromThePreviousOne() throws Exception {
    Path run = tmp.resolve("run");
    Process train = start(tmp.resolve("train.log"), "-Dneurite.test.crashDuringCheckpoint=4", "--", "train", config.toString(),
        "--out", run.toString());
    assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(train.exitValue()).isEqualTo(137);
    assertThat(run.resolve("checkpoints/.epoch-000004.safetensors.tmp")).exists(); // the torn write
    assertThat(Files.readString(run.resolve("checkpoints/index.json"))).contains("epoch-000003").doesNotContain("epoch-000004");
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(sha(run)).isEqualTo(expectedSha);
  }

  @Test
  void sigtermStopsAfterTheCurrentBatchWithACheckpoint() throws Exception {
    Path run = tmp.resolve("run");
    Process train = start(tmp.resolve("train.log"), "train", config.toString(), "--out", run.toString(), "--quiet");
    Path index = run.resolve("checkpoints/index.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.isRegularFile(index) && train.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
    Thread.sleep(300);
    train.destroy(); // SIGTERM
    assertThat(train.waitFor(60, TimeUnit.SECONDS)).isTrue();
    var manifest = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("manifest.json"))).getAsJsonObject();
    assertThat(manifest.get("status").getAsString()).isEqualTo("interrupted");
    // the checkpoint is of the last finished batch: nothing trained is lost (if that batch ended an
    // epoch, the checkpoint is the epoch's, written after its validation and callbacks)
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    String last = rows.get(rows.size() - 1);
    int finished = Integer.parseInt(last.substring(0, last.indexOf(',')));
    String summary = Files.readString(run.resolve("summary.json"));
    java.util.regex.Matcher midEpoch = java.util.regex.Pattern.compile("stopped after batch (\\d+) of (\\d+) of epoch (\\d+), checkpoint ")
        .matcher(summary);
    String checkpoint;
    String restart;
    if (midEpoch.find()) {
      int batch = Integer.parseInt(midEpoch.group(1));
      assertThat(Integer.parseInt(midEpoch.group(3))).isEqualTo(finished + 1);
      checkpoint = String.format("epoch-%06d-batch-%06d.safetensors", finished + 1, batch);
      restart = "from epoch " + (finished + 1) + ", batch " + (batch + 1) + " of " + midEpoch.group(2);
    } else {
      assertThat(summary).contains("stopped after epoch " + finished + ", checkpoint ");
      checkpoint = String.format("epoch-%06d.safetensors", finished);
      restart = "from epoch " + (finished + 1);
    }
    assertThat(Files.readString(index)).contains(checkpoint);
    // the terminal shows what happened, where the checkpoint is and the command that continues
    assertThat(Files.readString(tmp.resolve("train.log"))).contains("interrupted by a signal: stopped after ")
        .contains("checkpoint " + run.resolve("checkpoints").resolve(checkpoint) + "; continue with ./neurite resume " + run);
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("resuming " + run + " " + restart + " (checkpoint " + checkpoint + ")\n");
    assertThat(sha(run)).isEqualTo(expectedSha);
  }

  @Test
  void killedAtRandomPointsWithStepCheckpointsResumesMidEpochToTheSameWeights() throws Exception {
    java.util.Random r = new java.util.Random(1127);
    Path run = tmp.resolve("run");
    // a checkpoint every 7 steps: most land in the middle of an epoch
    Process train = start(tmp.resolve("train.log"), "train", config.toString(), "--out", run.toString(), "--threads", "1",
        "--set", "training.checkpoint_every_steps=7", "--set", "training.checkpoint_every=0");
    killAfterCheckpoints(train, run, 3 + r.nextInt(20), r.nextInt(40));
    String index = Files.readString(run.resolve("checkpoints/index.json"));
    Process resume = start(tmp.resolve("resume.log"), "resume", run.toString(), "--threads", "2");
    killAfterCheckpoints(resume, run, 30 + r.nextInt(20), r.nextInt(40));
    CommandLineTest.Result last = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(last.code()).as(last.err() + Files.readString(tmp.resolve("resume.log"))).isZero();
    assertThat(sha(run)).isEqualTo(expectedSha);
    var resumes = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("manifest.json"))).getAsJsonObject()
        .getAsJsonArray("resumed");
    assertThat(resumes).hasSize(2);
    for (var resumed : resumes) {
      var from = resumed.getAsJsonObject();
      long step = from.get("from_step").getAsLong();
      assertThat(step % 7).as(index).isZero(); // from a step checkpoint
      int batch = from.has("from_batch") ? from.get("from_batch").getAsInt() : 0;
      assertThat(from.get("from_epoch").getAsLong() * BATCHES + batch).isEqualTo(step);
    }
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows).hasSize(EPOCHS + 1);
    for (int e = 1; e <= EPOCHS; e++) assertThat(rows.get(e)).startsWith(e + ",");
  }

  @Test
  void aTruncatedCheckpointIsNamedAndThePreviousOneIsUsed() throws Exception {
    Path run = tmp.resolve("run");
    Process train = start(tmp.resolve("train.log"), "train", config.toString(), "--out", run.toString());
    killAfterCheckpoints(train, run, 10, 0);
    String index = Files.readString(run.resolve("checkpoints/index.json"));
    String newest = index.replaceAll("(?s).*\"(epoch-\\d+\\.safetensors)\".*", "$1");
    Path file = run.resolve("checkpoints").resolve(newest);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    CommandLineTest.Result r = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("warning: " + file + " is corrupt or truncated (" + (bytes.length - 100) + " bytes");
    assertThat(r.err()).contains("using an earlier checkpoint");
    assertThat(sha(run)).isEqualTo(expectedSha);
  }
}
