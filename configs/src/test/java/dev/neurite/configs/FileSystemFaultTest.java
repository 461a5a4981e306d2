package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.run.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a file system that fills up or turns read-only: exit 1 with the cause, no temporary files
 * left, and the run resumable to the same weights once there is room again. Needs root to mount a
 * size-limited tmpfs (CI runs as root).
 */
class FileSystemFaultTest {
  @TempDir Path tmp;
  Path mount;
  Path config;
  String expectedSha;

  @BeforeEach
  void mountAndTrainUninterrupted() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    config = tmp.resolve("digits.yaml");
    Files.writeString(config, Files.readString(Path.of("digits-mlp.yaml"))
        .replace("data/digits.csv", Path.of("data/digits.csv").toAbsolutePath().toString()));
    expectedSha = ShippedConfigsTest.train(config, tmp.resolve("uninterrupted")).weightsSha256();
    mount = Files.createDirectory(tmp.resolve("fs"));
    // room for the run's small files and two checkpoints (47 KB each), not a third beside them
    sh("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mount.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) sh("umount", mount.toString());
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private static List<String> temporaryFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.contains(".staging-")).toList();
    }
  }

  @Test
  void aFullDiskStopsTheRunWithTheCauseAndItResumesOnceThereIsRoom() throws Exception {
    Path run = mount.resolve("run");
    CommandLineTest.Result r = CommandLineTest.run("train", config.toString(), "--out", run.toString(), "--quiet");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot write a checkpoint in " + run + ": ").contains("No space left on device")
        .contains("./neurite resume continues it").doesNotContain("internal error").doesNotContain("Exception");
    assertThat(temporaryFiles(mount)).isEmpty();
    assertThat(Files.readString(run.resolve("manifest.json"))).contains("\"status\": \"failed\"");

    sh("mount", "-o", "remount,size=1m", mount.toString());
    CommandLineTest.Result resumed = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(Hashes.sha256(run.resolve("weights.safetensors"))).isEqualTo(expectedSha);
  }

  @Test
  void aReadOnlyRemountStopsTheRunWithTheCauseAndItResumesAfterwards() throws Exception {
    sh("mount", "-o", "remount,size=1m", mount.toString());
    Path run = mount.resolve("run");
    Process train = ChildJvm.start(tmp.resolve("train.log"), List.of(), "train", config.toString(), "--out", run.toString(),
        "--quiet", "--threads", "1");
    Path index = run.resolve("checkpoints/index.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (train.isAlive() && System.nanoTime() < deadline
        && !(Files.isRegularFile(index) && Files.readString(index).contains("epoch-000002"))) {
      Thread.sleep(2);
    }
    sh("mount", "-o", "remount,ro", mount.toString());
    assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("train.log"));
    assertThat(train.exitValue()).as(log).isEqualTo(1);
    assertThat(log).contains("Read-only file system").doesNotContain("internal error").doesNotContain("\tat ");

    sh("mount", "-o", "remount,rw", mount.toString());
    assertThat(temporaryFiles(mount)).isEmpty();
    CommandLineTest.Result resumed = CommandLineTest.run("resume", run.toString(), "--quiet");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(Hashes.sha256(run.resolve("weights.safetensors"))).isEqualTo(expectedSha);
  }
}
