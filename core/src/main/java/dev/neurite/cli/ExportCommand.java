package dev.neurite.cli;

import dev.neurite.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Write a finished run's model as ONNX: the data source's features in (batch dimension free), "
    + "the run's fitted preprocessing, then the layers in inference mode; the model's output out. Runs in ONNX Runtime.")
final class ExportCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a completed run directory")
  Path run;

  @Option(names = "--out", paramLabel = "FILE", description = "the ONNX file (default: RUN_DIR/model.onnx)")
  Path file;

  @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExport.DEFAULT_OPSET,
      description = "the ONNX operator set (default: ${DEFAULT-VALUE}, the lowest supported)")
  int opset;

  @Override
  public Integer call() {
    OnnxExport.Result r = OnnxExport.write(registry(), run, file != null ? file : run.resolve("model.onnx"), opset);
    out().printf(Locale.ROOT, "exported %s (%,d bytes, opset %d)%n", r.file(), r.bytes(), opset);
    out().flush();
    return 0;
  }
}
