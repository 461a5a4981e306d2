package dev.neurite.explain;

import dev.neurite.spi.Explainer;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import dev.neurite.run.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The pictures of an explanation, drawn with XChart (headless): for images, one grid per local method
 * (a row per explained sample, then the split's most confident mistakes: the input, the attribution
 * heat map, and the heat map over the input, titled with the row, its true and predicted class and the
 * model's confidence); for tabular data, a bar chart of feature importance per method (error bars: the
 * standard deviation over the samples, or over permutation importance's repeats).
 */
public final class Pictures {
  private static final int CELL = 240;
  private static final Color[] GRAYS = {Color.BLACK, Color.WHITE};
  private static final Color[] DIVERGING = {new Color(33, 102, 172), Color.WHITE, new Color(178, 24, 43)};
  private static final Color[] SEQUENTIAL = {Color.WHITE, new Color(252, 146, 114), new Color(165, 15, 21)};

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** One row of an image grid: which split row, its classes, its input and attributions ({@code [1, c, h, w]} or {@code [c, h, w]}). */
  public record Row(String title, float[] input, float[] attribution) {}

  private Pictures() {}

  /** Writes a grid of {@code rows} for one method into {@code file} (PNG). */
  public static void imageGrid(Path file, String method, Shape sample, List<Row> rows, boolean signed) throws IOException {
    int h = sample.dim(1);
    int w = sample.dim(2);
    BufferedImage grid = new BufferedImage(3 * CELL, rows.size() * CELL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      float[] input = channelMean(row.input(), sample);
      float[] attribution = channelMean(row.attribution(), sample);
      double limit = 0;
      for (float v : attribution) limit = Math.max(limit, Math.abs(v));
      if (limit == 0) limit = 1;
      BufferedImage in = render(heatMap(row.title(), input, h, w, GRAYS, min(input), max(input)));
      BufferedImage at = render(heatMap(method, attribution, h, w, signed ? DIVERGING : SEQUENTIAL, signed ? -limit : 0, limit));
      g.drawImage(in, 0, r * CELL, null);
      g.drawImage(at, CELL, r * CELL, null);
      // the overlay: the input, and over it the attribution map at 60 % opacity (the same chart layout, so pixels line up)
      BufferedImage overlayIn = render(heatMap("overlay", input, h, w, GRAYS, min(input), max(input)));
      BufferedImage overlayAt = render(heatMap("overlay", attribution, h, w, signed ? DIVERGING : SEQUENTIAL, signed ? -limit : 0, limit));
      Graphics2D o = overlayIn.createGraphics();
      o.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
      o.drawImage(overlayAt, 0, 0, null);
      o.dispose();
      g.drawImage(overlayIn, 2 * CELL, r * CELL, null);
    }
    g.dispose();
    write(file, grid);
  }

  /** Writes a bar chart of {@code values} per feature (with {@code errors} as error bars when not null) into {@code file}. */
  public static void bars(Path file, String title, String yTitle, List<String> features, double[] values, double[] errors) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(Math.max(480, 40 * features.size() + 160)).height(400).title(title)
        .xAxisTitle("feature").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(features.size() > 8 ? 90 : 0);
    List<Number> y = new ArrayList<>();
    for (double v : values) y.add(v);
    if (errors == null) {
      chart.addSeries(title, features, y);
    } else {
      List<Number> e = new ArrayList<>();
      for (double v : errors) e.add(v);
      chart.addSeries(title, features, y, e);
    }
    write(file, BitmapEncoder.getBufferedImage(chart));
  }

  /** The tabular pictures of a result: one bar chart per method, {@code importance-METHOD.png}. */
  public static void tabular(Path dir, Explanation.Result r) throws IOException {
    int features = r.inputs().rowSize();
    List<String> names = new ArrayList<>();
    for (int f = 0; f < features; f++) names.add(r.featureNames().isEmpty() ? "x" + f : r.featureNames().get(f));
    for (Explanation.MethodResult m : r.methods()) {
      if (m.attributions() != null) {
        double[] mean = new double[features];
        double[] sq = new double[features];
        int n = r.rows().length;
        float[] a = m.attributions().data();
        for (int s = 0; s < n; s++) {
          for (int f = 0; f < features; f++) {
            double v = Math.abs(a[s * features + f]);
            mean[f] += v / n;
            sq[f] += v * v / n;
          }
        }
        double[] std = new double[features];
        for (int f = 0; f < features; f++) std[f] = Math.sqrt(Math.max(0, sq[f] - mean[f] * mean[f]));
        bars(dir.resolve("importance-" + m.method().name() + ".png"), m.method().name() + ": mean |attribution| over " + n + " rows",
            "mean |attribution| (error bars: std)", names, mean, std);
      } else if (m.importance() != null && m.importance().groups().size() == features) {
        Explainer.Importance imp = m.importance();
        String metric = imp.mean().keySet().iterator().next();
        bars(dir.resolve("importance-" + m.method().name() + ".png"),
            String.format(Locale.ROOT, "%s: %s worsening when shuffled", m.method().name(), metric),
            metric + " worsening (error bars: std over repeats)", imp.groups(), imp.mean().get(metric), imp.std().get(metric));
      }
    }
  }

  private static HeatMapChart heatMap(String title, float[] values, int h, int w, Color[] colors, double min, double max) {
    HeatMapChart chart = new HeatMapChartBuilder().width(CELL).height(CELL).title(title).build();
    var styler = chart.getStyler();
    styler.setLegendVisible(false);
    styler.setAxisTicksVisible(false);
    styler.setPlotGridLinesVisible(false);
    styler.setRangeColors(colors);
    styler.setMin(min);
    styler.setMax(max == min ? min + 1 : max);
    styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(10f));
    List<Number> xs = new ArrayList<>();
    List<Number> ys = new ArrayList<>();
    for (int x = 0; x < w; x++) xs.add(x);
    for (int y = 0; y < h; y++) ys.add(y);
    List<Number[]> cells = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) cells.add(new Number[] {x, h - 1 - y, values[y * w + x]}); // row 0 at the top
    }
    chart.addSeries(title, xs, ys, cells);
    return chart;
  }

  private static BufferedImage render(Chart<?, ?> chart) {
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** An image's values ({@code [c, h, w]} flattened) averaged over its channels, {@code [h * w]}. */
  public static float[] channelMean(float[] v, Shape sample) {
    int c = sample.dim(0);
    int area = sample.dim(1) * sample.dim(2);
    float[] out = new float[area];
    for (int ch = 0; ch < c; ch++) for (int i = 0; i < area; i++) out[i] += v[ch * area + i] / c;
    return out;
  }

  private static double min(float[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (float x : v) m = Math.min(m, x);
    return m;
  }

  private static double max(float[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (float x : v) m = Math.max(m, x);
    return m;
  }

  private static void write(Path file, BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /** A row's slice of a batch tensor. */
  static float[] row(Tensor t, int row) {
    float[] out = new float[t.rowSize()];
    System.arraycopy(t.data(), row * t.rowSize(), out, 0, out.length);
    return out;
  }
}
