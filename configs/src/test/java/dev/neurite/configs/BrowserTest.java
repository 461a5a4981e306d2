package dev.neurite.configs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurite.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report and the comparison opened in a real browser (Debian's {@code chromium}, headless, offline):
 * no console message, and a screenshot that is not blank. Without chromium the test is skipped with a
 * message, unless {@code NEURITE_REQUIRE_BROWSER=1} (set by .ci/run, which installs it) makes that a failure.
 */
class BrowserTest {
  @TempDir static Path shared;
  static Path run;
  @TempDir Path tmp;

  @BeforeAll
  static void needsChromium() throws IOException {
    boolean present = Files.isExecutable(Path.of("/usr/bin/chromium"));
    if (!present && "1".equals(System.getenv("NEURITE_REQUIRE_BROWSER"))) {
      throw new AssertionError("NEURITE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)");
    }
    Assumptions.assumeTrue(present, "chromium is not installed (apt-get install chromium): the browser check is skipped");
    run = ShippedConfigsTest.train(Path.of("digits-cnn.yaml"), shared.resolve("cnn")).directory();
  }

  /** Opens {@code page} headless and returns chromium's log lines of the page's console. */
  private static List<String> open(Path page, Path screenshot) throws Exception {
    Path profile = Files.createTempDirectory(screenshot.getParent(), "profile");
    Process p = new ProcessBuilder("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--window-size=1400,3000",
        "--screenshot=" + screenshot, page.toUri().toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> console = new ArrayList<>();
    log.lines().filter(l -> l.contains(":CONSOLE")).forEach(console::add);
    assertThat(screenshot).as(log).exists();
    return console;
  }

  @Test
  void theConsoleCheckCatchesAnError() throws Exception {
    Path bad = tmp.resolve("bad.html");
    Files.writeString(bad, "<!DOCTYPE html><html><body><script>console.error('broken page')</script></body></html>");
    assertThat(open(bad, tmp.resolve("bad.png"))).anyMatch(l -> l.contains("broken page"));
  }

  @Test
  void theReportRendersWithoutConsoleMessages() throws Exception {
    Path shot = tmp.resolve("report.png");
    assertThat(open(run.resolve(RunReport.FILE), shot)).isEmpty();
    ReportTest.assertNotBlank(Files.readAllBytes(shot), "screenshot of report.html");
  }

  @Test
  void theComparisonRendersWithoutConsoleMessages() throws Exception {
    Path html = tmp.resolve("compare.html");
    CommandLineTest.Result r = CommandLineTest.run("compare", run.toString(), run.toString(), "--out", html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path shot = tmp.resolve("compare.png");
    assertThat(open(html, shot)).isEmpty();
    ReportTest.assertNotBlank(Files.readAllBytes(shot), "screenshot of compare.html");
  }
}
