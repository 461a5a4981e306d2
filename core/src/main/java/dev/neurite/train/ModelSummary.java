package dev.neurite.train;

import dev.neurite.config.LoadedExperiment;
import dev.neurite.nn.Model;
import dev.neurite.nn.Node;
import dev.neurite.spi.Param;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model as a table, as Keras' {@code model.summary()} prints it: per layer its name, type, output
 * shape, trainable parameters, buffers (batch norm's running statistics) and multiply-adds per sample,
 * then the totals. {@code train} prints it before the first epoch, {@code validate} after its checks, and
 * {@code summary.json} holds it as {@code model}.
 */
public record ModelSummary(Shape input, List<Row> rows) {
  /** One layer: {@code name} is its config name or its config path. */
  public record Row(String name, String type, Shape output, long parameters, long buffers, long multiplyAdds) {}

  public static ModelSummary of(Model model, LoadedExperiment loaded) {
    List<Node> nodes = model.nodes();
    long[] params = new long[nodes.size()];
    for (Param p : model.params()) params[layerOf(p.name())] += p.value().size();
    long[] buffers = new long[nodes.size()];
    for (Map.Entry<String, Tensor> b : model.buffers().entrySet()) buffers[layerOf(b.getKey())] += b.getValue().size();
    List<Row> rows = new ArrayList<>();
    Object layers = loaded.resolved().get("model") instanceof Map<?, ?> m ? m.get("layers") : null;
    for (int i = 0; i < nodes.size(); i++) {
      Object resolved = layers instanceof List<?> l && i < l.size() ? l.get(i) : null;
      String type = resolved instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : String.valueOf(resolved);
      if (!nodes.get(i).trainable()) type += " (frozen)";
      String name = nodes.get(i).name() != null ? nodes.get(i).name() : "layers[" + i + "]";
      Shape out = model.shapes().get(i + 1);
      long macs = nodes.get(i).layer().multiplyAdds(model.inputShapes(i).get(0), out);
      rows.add(new Row(name, type, out, params[i], buffers[i], macs));
    }
    return new ModelSummary(model.shapes().get(0), rows);
  }

  private static int layerOf(String name) {
    return Integer.parseInt(name.split("\\.")[1]);
  }

  public long parameters() {
    return rows.stream().mapToLong(Row::parameters).sum();
  }

  public long buffers() {
    return rows.stream().mapToLong(Row::buffers).sum();
  }

  public long multiplyAdds() {
    return rows.stream().mapToLong(Row::multiplyAdds).sum();
  }

  /** The table, one line per layer and a total line, columns aligned. */
  public String table() {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"layer", "type", "output", "params", "buffers", "mult-adds"});
    lines.add(new String[] {"(input)", "", input.toString(), "", "", ""});
    for (Row r : rows) {
      lines.add(new String[] {r.name(), r.type(), r.output().toString(), count(r.parameters()), count(r.buffers()), count(r.multiplyAdds())});
    }
    lines.add(new String[] {"total", "", "", count(parameters()), count(buffers()), count(multiplyAdds())});
    int[] width = new int[6];
    for (String[] l : lines) for (int c = 0; c < 6; c++) width[c] = Math.max(width[c], l[c].length());
    StringBuilder b = new StringBuilder();
    for (String[] l : lines) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < 6; c++) {
        String cell = c < 3 ? pad(l[c], width[c], false) : pad(l[c], width[c], true);
        line.append(cell).append(c < 5 ? "  " : "");
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** As {@code summary.json} holds it. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input.toString());
    List<Object> layers = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.name());
      row.put("type", r.type());
      row.put("output", r.output().toString());
      row.put("parameters", r.parameters());
      row.put("buffers", r.buffers());
      row.put("multiply_adds", r.multiplyAdds());
      layers.add(row);
    }
    m.put("layers", layers);
    m.put("parameters", parameters());
    m.put("buffers", buffers());
    m.put("multiply_adds", multiplyAdds());
    return m;
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
