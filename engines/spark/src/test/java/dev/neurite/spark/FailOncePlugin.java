package dev.neurite.spark;

import dev.neurite.spi.Callback;
import dev.neurite.spi.Doc;
import dev.neurite.spi.NeuritePlugin;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code test:fail_once}: a callback that makes the first run to end epoch {@code after_epoch} fail, once
 * per marker file, as a lost executor or a task killed mid-trial would; it changes no weight.
 */
public final class FailOncePlugin extends NeuritePlugin {
  @Override
  public String name() {
    return "test";
  }

  @Override
  protected void configure() {
    callback("test:fail_once", FailOnce.Params.class, FailOnce.class);
  }

  public static final class FailOnce implements Callback {
    public record Params(@Doc("created by the failure; while it exists nothing fails") String marker,
                         @Doc("the epoch after which to fail") int afterEpoch) {}

    private final Params params;

    @Inject
    public FailOnce(Params params) {
      this.params = params;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics, Control control) {
      if (epoch != params.afterEpoch()) return;
      try {
        Files.createFile(Path.of(params.marker())); // atomic: one run of many fails
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new IllegalStateException("a planned failure after epoch " + epoch);
    }
  }
}
