package dev.neurite.standard.data;

import dev.neurite.spi.Dataset;
import dev.neurite.spi.Transform;
import dev.neurite.tensor.Shape;
import dev.neurite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The csv source's {@code categorical:} columns, one-hot encoded with the levels seen in the
 * training split (sorted by name). A missing cell encodes as all zeros; a level the training
 * split never had is an error, or with {@code unknown: bucket} goes to an extra {@code =unknown}
 * column. Other columns pass through unchanged.
 */
final class OneHotColumns implements Transform {
  private final boolean bucket;
  /** Feature index to its training levels, for the categorical features. */
  private final TreeMap<Integer, List<String>> levels = new TreeMap<>();
  private int inWidth;

  OneHotColumns(boolean bucket) {
    this.bucket = bucket;
  }

  @Override
  public void fit(Dataset train) {
    inWidth = train.sampleShape().size();
    Map<Integer, List<String>> dictionary = train.categories();
    Map<Integer, TreeSet<String>> seen = new TreeMap<>();
    dictionary.keySet().forEach(j -> seen.put(j, new TreeSet<>()));
    forEachCode(train, (j, code) -> seen.get(j).add(dictionary.get(j).get(code)));
    seen.forEach((j, s) -> levels.put(j, List.copyOf(s)));
  }

  private interface CodeVisitor {
    void visit(int feature, int code);
  }

  private static void forEachCode(Dataset data, CodeVisitor visitor) {
    Map<Integer, List<String>> dictionary = data.categories();
    float[] x = new float[data.sampleShape().size()];
    float[] y = new float[data.targetShape().size()];
    for (int r = 0; r < data.size(); r++) {
      data.read(r, x, 0, y, 0);
      for (int j : dictionary.keySet()) if (!Float.isNaN(x[j])) visitor.visit(j, (int) x[j]);
    }
  }

  @Override
  public Dataset apply(Dataset data) {
    if (data.sampleShape().size() != inWidth) {
      throw new IllegalArgumentException("the categorical encoding was fitted on " + inWidth + " columns but got " + data.sampleShape().size());
    }
    Map<Integer, List<String>> dictionary = data.categories();
    // this dataset's codes -> output column offset within the feature's block (-1: unknown)
    Map<Integer, int[]> target = new TreeMap<>();
    for (var e : levels.entrySet()) {
      List<String> own = dictionary.getOrDefault(e.getKey(), List.of());
      int[] map = new int[own.size()];
      for (int c = 0; c < own.size(); c++) map[c] = e.getValue().indexOf(own.get(c));
      target.put(e.getKey(), map);
    }
    if (!bucket) {
      int[] first = {-1, -1};
      int[] count = {0};
      forEachCode(data, (j, code) -> {
        if (target.get(j)[code] < 0 && count[0]++ == 0) {
          first[0] = j;
          first[1] = code;
        }
      });
      if (count[0] > 0) {
        throw new IllegalArgumentException("column '" + name(data, first[0]) + "' has category '" + dictionary.get(first[0]).get(first[1])
            + "', which the training split does not have (its levels: " + String.join(", ", levels.get(first[0])) + "); "
            + count[0] + " cell(s) have unseen categories. Set unknown: bucket to encode them as an extra column");
      }
    }
    List<String> names = new ArrayList<>();
    int[] offset = new int[inWidth];
    int width = 0;
    for (int j = 0; j < inWidth; j++) {
      offset[j] = width;
      List<String> l = levels.get(j);
      if (l == null) {
        names.add(name(data, j));
        width++;
      } else {
        for (String level : l) names.add(name(data, j) + "=" + level);
        if (bucket) names.add(name(data, j) + "=unknown");
        width += l.size() + (bucket ? 1 : 0);
      }
    }
    int outWidth = width;
    // per feature, resolved once: null for a numeric column, else this data's code -> level index (-1: unknown)
    int[][] codeToLevel = new int[inWidth][];
    int[] unknownAt = new int[inWidth];
    target.forEach((j, map) -> {
      codeToLevel[j] = map;
      unknownAt[j] = levels.get(j).size();
    });
    return data.mapFeatures(Shape.of(outWidth), names, (row, in, out, off) -> {
      Arrays.fill(out, off, off + outWidth, 0f);
      for (int j = 0; j < in.length; j++) {
        if (codeToLevel[j] == null) {
          out[off + offset[j]] = in[j];
        } else if (!Float.isNaN(in[j])) {
          int k = codeToLevel[j][(int) in[j]];
          out[off + offset[j] + (k >= 0 ? k : unknownAt[j])] = 1f;
        }
      }
    });
  }

  private static String name(Dataset d, int j) {
    return j < d.featureNames().size() ? d.featureNames().get(j) : "#" + j;
  }

  /** The fitted levels per feature index, as JSON lists: {@code levels.2 -> ["blue","red"]}. */
  @Override
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("width", Integer.toString(inWidth));
    levels.forEach((j, l) -> m.put("levels." + j, jsonList(l)));
    return m;
  }

  @Override
  public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
    if (!metadata.containsKey("width")) throw new IllegalArgumentException("categorical encoding: the saved state lacks the column count");
    inWidth = Integer.parseInt(metadata.get("width"));
    levels.clear();
    metadata.forEach((k, v) -> {
      if (k.startsWith("levels.")) levels.put(Integer.parseInt(k.substring(7)), parseList(v));
    });
  }

  /** Reads back {@link #jsonList}. */
  private static List<String> parseList(String json) {
    List<String> out = new ArrayList<>();
    int i = json.indexOf('[') + 1;
    while (i < json.length()) {
      char ch = json.charAt(i);
      if (ch == '"') {
        StringBuilder b = new StringBuilder();
        for (i++; json.charAt(i) != '"'; i++) {
          char c = json.charAt(i);
          if (c == '\\') {
            char next = json.charAt(++i);
            if (next == 'u') {
              b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
              i += 4;
            } else {
              b.append(next);
            }
          } else {
            b.append(c);
          }
        }
        out.add(b.toString());
      }
      i++;
    }
    return List.copyOf(out);
  }

  private static String jsonList(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (String s : items) {
      if (b.length() > 1) b.append(',');
      b.append('"');
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      b.append('"');
    }
    return b.append(']').toString();
  }
}
