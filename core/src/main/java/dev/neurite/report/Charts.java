package dev.neurite.report;

import dev.neurite.train.Numbers;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn headless with XChart, as PNG bytes. */
final class Charts {
  static final int WIDTH = 600;
  static final int HEIGHT = 340;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** One line (or, with {@code points}, markers only) of an XY chart; NaN and, on a log axis, values <= 0 are left out. */
  record Series(String name, double[] x, double[] y, boolean points) {
    static Series line(String name, double[] x, double[] y) {
      return new Series(name, x, y, false);
    }
  }

  private Charts() {}

  static String format(double v) {
    if (Double.isNaN(v)) return "-";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v); // counts, epochs
    return Numbers.format(v);
  }

  /** Lines over epochs (or any x); null when no series has a point to draw. */
  static byte[] lines(String title, String xTitle, String yTitle, List<Series> series, boolean logY) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendVisible(series.size() > 1 || series.stream().anyMatch(Series::points));
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setYAxisDecimalPattern(logY ? "0.##E0" : null);
    int drawn = 0;
    for (Series s : series) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = 0; i < s.x().length; i++) {
        double v = s.y()[i];
        if (Double.isFinite(v) && (!logY || v > 0)) {
          x.add(s.x()[i]);
          y.add(v);
        }
      }
      if (x.isEmpty()) continue;
      XYSeries added = chart.addSeries(s.name(), x, y);
      if (s.points()) {
        added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        added.setMarker(SeriesMarkers.DIAMOND);
      } else {
        added.setMarker(x.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
      }
      drawn++;
    }
    return drawn == 0 ? null : png(BitmapEncoder.getBufferedImage(chart));
  }

  /** Predicted against true values, with the diagonal y = x. */
  static byte[] scatter(String title, String xTitle, String yTitle, double[] x, double[] y) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setLegendVisible(false);
    XYSeries points = chart.addSeries("rows", x, y);
    points.setMarker(SeriesMarkers.CIRCLE);
    double lo = Math.min(min(x), min(y));
    double hi = Math.max(max(x), max(y));
    XYSeries diagonal = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
    diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(Color.GRAY);
    return png(BitmapEncoder.getBufferedImage(chart));
  }

  /** A histogram of {@code values} in {@code bins} equal bins. */
  static byte[] histogram(String title, String xTitle, double[] values, int bins) {
    double lo = min(values);
    double hi = max(values);
    if (hi == lo) hi = lo + 1;
    double width = (hi - lo) / bins;
    List<String> labels = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < bins; i++) {
      labels.add(Numbers.significant(lo + (i + 0.5) * width, 3));
      counts.add(0);
    }
    for (double v : values) {
      int i = (int) Math.min(bins - 1, Math.floor((v - lo) / width));
      counts.set(i, counts.get(i) + 1);
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle("rows").build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setAvailableSpaceFill(0.95);
    chart.addSeries("rows", labels, counts);
    return png(BitmapEncoder.getBufferedImage(chart));
  }

  /** A bar per category. */
  static byte[] bars(String title, String xTitle, String yTitle, List<String> labels, List<? extends Number> values) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(labels.size() > 12 ? 90 : 0);
    chart.addSeries(yTitle, labels, values);
    return png(BitmapEncoder.getBufferedImage(chart));
  }

  /** A confusion matrix as a heat map: rows the true class, columns the predicted one, each cell's count written in it. */
  static byte[] confusion(String title, long[][] counts, List<String> classes) {
    int k = counts.length;
    int size = Math.max(360, Math.min(720, 40 * k + 160));
    HeatMapChart chart = new HeatMapChartBuilder().width(size + 80).height(size).title(title).xAxisTitle("predicted").yAxisTitle("true")
        .build();
    style(chart.getStyler());
    chart.getStyler().setPlotContentSize(1);
    chart.getStyler().setShowValue(k <= 20);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(158, 202, 225), new Color(8, 81, 156)});
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, k <= 10 ? 11 : 8));
    List<String> xs = new ArrayList<>(classes);
    List<String> ys = new ArrayList<>();
    for (int r = k - 1; r >= 0; r--) ys.add(classes.get(r)); // the first class at the top
    List<Number[]> cells = new ArrayList<>();
    for (int r = 0; r < k; r++) {
      for (int c = 0; c < k; c++) cells.add(new Number[] {c, k - 1 - r, counts[r][c]});
    }
    chart.addSeries("counts", xs, ys, cells);
    return png(BitmapEncoder.getBufferedImage(chart));
  }

  /** Images in a grid, each scaled up (nearest pixel) with its caption above it: the data itself, so no chart axes. */
  static byte[] imageGrid(List<float[]> images, List<String> captions, int height, int width, int columns) {
    int scale = Math.max(1, 112 / Math.max(height, width));
    int cellW = Math.max(width * scale, 150) + 10;
    int cellH = height * scale + 30;
    int rows = (images.size() + columns - 1) / columns;
    BufferedImage grid = new BufferedImage(columns * cellW, Math.max(1, rows) * cellH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i < images.size(); i++) {
      float[] pixels = images.get(i);
      double lo = min(pixels);
      double hi = max(pixels);
      int x0 = (i % columns) * cellW + 5;
      int y0 = (i / columns) * cellH + 5;
      g.setColor(Color.BLACK);
      g.drawString(captions.get(i), x0, y0 + 12);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int v = (int) Math.round(255 * (hi == lo ? 0 : (pixels[y * width + x] - lo) / (hi - lo)));
          g.setColor(new Color(v, v, v));
          g.fillRect(x0 + x * scale, y0 + 20 + y * scale, scale, scale);
        }
      }
    }
    g.dispose();
    return png(grid);
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    styler.setLegendBorderColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
  }

  static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) if (Double.isFinite(x)) m = Math.min(m, x);
    return m == Double.POSITIVE_INFINITY ? 0 : m;
  }

  static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) if (Double.isFinite(x)) m = Math.max(m, x);
    return m == Double.NEGATIVE_INFINITY ? 0 : m;
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

  static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
