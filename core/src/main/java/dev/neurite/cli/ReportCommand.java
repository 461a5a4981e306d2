package dev.neurite.cli;

import dev.neurite.report.RunReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "report", description = "Write RUN_DIR/report.html (one self-contained page: metrics, learning curves, evaluation, "
    + "diagnostics, model, data, config, provenance) and the charts as RUN_DIR/plots/*.png; train writes both when a run completes.")
final class ReportCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a run directory (a failed or interrupted run gets a report without the evaluation)")
  Path run;

  @Override
  public Integer call() {
    Path written = RunReport.write(registry(), run);
    out().println("report: " + written);
    out().flush();
    return 0;
  }
}
