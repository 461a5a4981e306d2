package dev.neurite.standard.data;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.neurite.spi.DataSource;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Messages;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.StepMask;
import dev.neurite.spi.Transform;
import dev.neurite.spi.Vocabulary;
import dev.neurite.tensor.Tensor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

@Doc("Text as token sequences, in one of two shapes. With window: UTF-8 files read in order and joined by newlines, "
    + "split into characters or whitespace-separated words, cut into windows of `window` tokens; each window's targets are "
    + "the tokens that follow each of its tokens ([window] class indices, next-token prediction), and the windows are in "
    + "text order, so data.split cuts the text into spans (training first). With max_length: one sequence per line of "
    + "the files (blank lines skipped; or per part between separator lines) or, with column, per record of CSV files "
    + "with a header; each is cut to max_length tokens and padded at the end with index 0, which an embedding with "
    + "padding_index: 0 turns into a padding mask; the targets are the class index in the label column (or the file's "
    + "position in paths, with files_are_classes), or else each step's next token (-100 where there is none, which the "
    + "per-step losses and metrics skip). The vocabulary is built on the training split: the tokens by count (ties by "
    + "text order), at most max_vocabulary entries with one index for any other token (out of vocabulary: index 0 for "
    + "windows, 1 for rows, after the padding); it is saved with the run and restored for evaluate, predict and generate")
@Example("paths: [corpus.txt], window: 64")
public final class Text implements DataSource {
  public enum Tokens { CHARACTERS, WORDS }

  public record Params(
      @Doc("the text files (or CSV files, with column), read in order") List<Path> paths,
      @Doc("characters (Unicode code points) or words (runs of non-whitespace)") @Default("characters") Tokens tokens,
      @Doc("tokens per sample of a language model's windows over the whole text") Optional<Integer> window,
      @Doc("tokens between the starts of two windows; the window by default (no overlap)") Optional<Integer> stride,
      @Doc("one sequence per line (or CSV record) instead of windows: its tokens cut to this length and padded at the end") Optional<Integer> maxLength,
      @Doc("with max_length: the files are CSV with a header, and this column holds the text") Optional<String> column,
      @Doc("with column: the column of each record's class index (the target); without it, the targets are the next tokens") Optional<String> label,
      @Doc("with max_length and no column: a line holding exactly this ends a sequence, which may then span lines (the fortune "
          + "files' %); without it, each line is a sequence") Optional<String> separator,
      @Doc("with max_length: each file of paths is a class, and a sequence's target is its file's position in paths") @Default("false") boolean filesAreClasses,
      @Doc("at most this many vocabulary entries, the out-of-vocabulary token (and the padding) included") Optional<Integer> maxVocabulary,
      @Doc("lower-case the text first") @Default("false") boolean lowercase) {
    /** Windows of a language model (the earlier form of the params). */
    public Params(List<Path> paths, Tokens tokens, int window, Optional<Integer> stride, Optional<Integer> maxVocabulary, boolean lowercase) {
      this(paths, tokens, Optional.of(window), stride, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
          maxVocabulary, lowercase);
    }

    public Params {
      if (paths.isEmpty()) throw new IllegalArgumentException("paths needs at least one file");
      if (window.isPresent() == maxLength.isPresent()) {
        throw new IllegalArgumentException(window.isPresent() ? "give window (windows over the whole text) or max_length (one sequence per row), not both"
            : "needs window (a language model's windows over the whole text) or max_length (one padded sequence per line or CSV record)");
      }
      window.ifPresent(w -> {
        if (w < 1) throw new IllegalArgumentException("window must be at least 1, got " + w);
      });
      maxLength.ifPresent(m -> {
        if (m < 1) throw new IllegalArgumentException("max_length must be at least 1, got " + m);
      });
      if (stride.isPresent() && window.isEmpty()) throw new IllegalArgumentException("stride applies to window; one sequence per row has none");
      if (column.isPresent() && maxLength.isEmpty()) throw new IllegalArgumentException("column needs max_length: each CSV record is one sequence");
      if (label.isPresent() && column.isEmpty()) throw new IllegalArgumentException("label names a CSV column: give column (the text's) too");
      if (separator.isPresent() && (maxLength.isEmpty() || column.isPresent())) {
        throw new IllegalArgumentException("separator splits text files into sequences: it needs max_length, and CSV files (column) have records instead");
      }
      if (filesAreClasses && (maxLength.isEmpty() || label.isPresent())) {
        throw new IllegalArgumentException("files_are_classes labels each sequence by its file: it needs max_length, and no label column");
      }
      stride.ifPresent(s -> {
        if (s < 1) throw new IllegalArgumentException("stride must be at least 1, got " + s);
      });
      maxVocabulary.ifPresent(m -> {
        if (m < 2) throw new IllegalArgumentException("max_vocabulary must be at least 2 (the out-of-vocabulary token and one more), got " + m);
      });
    }
  }

  /**
   * Words as raw values: each distinct word gets the next number, in a table shared by every text source and
   * vocabulary in this JVM, so a separate test source and a restored vocabulary see the same values.
   */
  private static final Map<String, Integer> WORD_IDS = new ConcurrentHashMap<>();
  private static final List<String> WORDS = new ArrayList<>();

  private static synchronized float wordId(String word) {
    Integer id = WORD_IDS.get(word);
    if (id == null) {
      id = WORDS.size();
      if (id >= 1 << 24) throw new NeuriteException("more than 2^24 distinct words: a float cannot hold their numbers exactly");
      WORDS.add(word);
      WORD_IDS.put(word, id);
    }
    return id;
  }

  private static synchronized String word(int id) {
    return WORDS.get(id);
  }

  private final Params p;

  @Inject
  public Text(Params params) {
    this.p = params;
  }

  /** Windows keep the text's order (the split cuts it into spans); rows are independent samples. */
  @Override
  public boolean ordered() {
    return p.window().isPresent();
  }

  @Override
  public List<Path> files() {
    return p.paths();
  }

  @Override
  public List<Transform> preprocessing() {
    return List.of(new TokenVocabulary(p.tokens(), p.maxVocabulary().orElse(Integer.MAX_VALUE), p.lowercase(), p.maxLength().isPresent(),
        p.label().isEmpty() && !p.filesAreClasses()));
  }

  @Override
  public Dataset load() {
    if (p.maxLength().isPresent()) return new TextRows(p).load();
    StringBuilder text = new StringBuilder();
    for (Path file : p.paths()) {
      if (text.length() > 0) text.append('\n');
      text.append(read(file));
    }
    float[] tokens = tokenize(text.toString(), p.tokens(), p.lowercase());
    int window = p.window().get();
    int stride = p.stride().orElse(window);
    int windows = tokens.length <= window ? 0 : (tokens.length - window - 1) / stride + 1;
    if (windows < 1) {
      throw new NeuriteException(p.paths() + ": " + tokens.length + " " + p.tokens().name().toLowerCase() + " give no window of "
          + window + " tokens and the next one; use a smaller window or more text");
    }
    float[] x = new float[windows * window];
    float[] y = new float[windows * window];
    for (int w = 0; w < windows; w++) {
      System.arraycopy(tokens, w * stride, x, w * window, window);
      System.arraycopy(tokens, w * stride + 1, y, w * window, window);
    }
    return new Dataset.InMemory(Tensor.wrap(x, windows, window), Tensor.wrap(y, windows, window), List.of(),
        Map.of("tokens", tokens.length, "windows", windows, "window", window, "stride", stride,
            "tokenized", p.tokens().name().toLowerCase()))
        .locatedBy(w -> p.paths() + " tokens " + ((long) w * stride) + "-" + ((long) w * stride + window));
  }

  static String read(Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new NeuriteException(file + ": file not found");
    } catch (CharacterCodingException e) {
      throw new NeuriteException(file + ": not UTF-8 text (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new NeuriteException(file + ": cannot read: " + Messages.brief(e), e);
    }
  }

  /** Raw token values: code points, or word numbers from the shared table (a new word gets the next number). */
  static float[] tokenize(String text, Tokens kind, boolean lowercase) {
    return tokenize(text, kind, lowercase, true);
  }

  /**
   * As {@link #tokenize(String, Tokens, boolean)}; without {@code intern}, a word the table lacks reads as -1 (out of
   * vocabulary) instead of joining it, so encoding prompts in a long-running service does not grow the table.
   */
  static float[] tokenize(String text, Tokens kind, boolean lowercase, boolean intern) {
    if (lowercase) text = text.toLowerCase(java.util.Locale.ROOT);
    if (kind == Tokens.CHARACTERS) { // code points are exact in a float: they stay below 2^21
      int[] points = text.codePoints().toArray();
      float[] out = new float[points.length];
      for (int i = 0; i < out.length; i++) out[i] = points[i];
      return out;
    }
    List<Float> ids = new ArrayList<>();
    for (String w : text.split("\\s+")) {
      if (w.isEmpty()) continue;
      Integer known = WORD_IDS.get(w);
      ids.add(intern ? wordId(w) : known == null ? -1f : known);
    }
    float[] out = new float[ids.size()];
    for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
    return out;
  }

  /**
   * The vocabulary, fitted on the training samples: for windows, index 0 for out-of-vocabulary tokens; for
   * padded rows, index 0 for the padding (a NaN raw value) and 1 for out-of-vocabulary tokens; then the tokens
   * by count, most frequent first (ties: first seen first). Maps inputs and per-step targets (-100 stays).
   */
  static final class TokenVocabulary implements Transform, Vocabulary {
    private static final Gson GSON = new Gson();
    private final Tokens kind;
    private final int limit;
    private final boolean lowercase;
    /** Whether index 0 is the padding of rows (and 1 the out-of-vocabulary token). */
    private final boolean padded;
    /** Whether the targets are tokens too (next-token prediction), not class indices. */
    private final boolean tokenTargets;
    /** Raw value of each index (NaN for the out-of-vocabulary token and the padding). */
    private float[] raws;
    private Map<Float, Integer> index;

    TokenVocabulary(Tokens kind, int limit, boolean lowercase, boolean padded, boolean tokenTargets) {
      this.kind = kind;
      this.limit = limit;
      this.lowercase = lowercase;
      this.padded = padded;
      this.tokenTargets = tokenTargets;
    }

    /** The first index of a real token: after the out-of-vocabulary token, and the padding of rows. */
    private int first() {
      return padded ? 2 : 1;
    }

    @Override
    public void fit(Dataset train) {
      int window = train.sampleShape().size();
      float[] x = new float[window];
      float[] y = new float[train.targetShape().size()];
      Map<Float, long[]> counts = new HashMap<>(); // raw value -> {count, first seen}
      long seen = 0;
      for (int r = 0; r < train.size(); r++) {
        train.read(r, x, 0, y, 0);
        for (float v : x) if (!Float.isNaN(v)) count(counts, v, seen++);
        if (!tokenTargets) continue;
        int last = y.length - 1; // the last target: the text the inputs do not cover
        while (last > 0 && y[last] == StepMask.IGNORED_TARGET) last--;
        if (y[last] != StepMask.IGNORED_TARGET) count(counts, y[last], seen++);
      }
      List<Map.Entry<Float, long[]>> byCount = new ArrayList<>(counts.entrySet());
      byCount.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
          : Long.compare(a.getValue()[1], b.getValue()[1]));
      int size = Math.max(first(), Math.min(limit, byCount.size() + first()));
      float[] r = new float[size];
      Arrays.fill(r, 0, first(), Float.NaN);
      for (int i = first(); i < size; i++) r[i] = byCount.get(i - first()).getKey();
      set(r);
    }

    private static void count(Map<Float, long[]> counts, float v, long at) {
      counts.computeIfAbsent(v, k -> new long[] {0, at})[0]++;
    }

    private void set(float[] r) {
      raws = r;
      index = new HashMap<>();
      for (int i = first(); i < r.length; i++) index.put(r[i], i);
    }

    private float map(float raw) {
      if (padded && Float.isNaN(raw)) return 0; // padding
      if (raw == StepMask.IGNORED_TARGET) return raw; // a padded step's target
      Integer i = index.get(raw);
      return i == null ? first() - 1 : i;
    }

    @Override
    public Dataset apply(Dataset data) {
      return data.map((x, off, y, yOff) -> {
        int n = data.sampleShape().size();
        for (int i = 0; i < n; i++) x[off + i] = map(x[off + i]);
        int m = data.targetShape().size();
        if (tokenTargets) for (int i = 0; i < m; i++) y[yOff + i] = map(y[yOff + i]);
      });
    }

    @Override
    public Map<String, String> metadata() {
      List<String> tokens = new ArrayList<>();
      for (int i = first(); i < raws.length; i++) tokens.add(decode(i));
      return Map.of("tokens", GSON.toJson(tokens), "kind", kind.name().toLowerCase(), "lowercase", Boolean.toString(lowercase),
          "padding", Boolean.toString(padded));
    }

    @Override
    public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
      String json = metadata.get("tokens");
      if (json == null) throw new IllegalArgumentException("the saved vocabulary lacks its tokens");
      if (Boolean.parseBoolean(metadata.getOrDefault("padding", "false")) != padded) {
        throw new IllegalArgumentException("the saved vocabulary was made for " + (padded ? "windows" : "padded rows")
            + ", but the config reads " + (padded ? "padded rows (max_length)" : "windows"));
      }
      List<String> tokens = GSON.fromJson(json, new TypeToken<List<String>>() {}.getType());
      float[] r = new float[tokens.size() + first()];
      Arrays.fill(r, 0, first(), Float.NaN);
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i);
        r[i + first()] = kind == Tokens.CHARACTERS ? t.codePointAt(0) : wordId(t);
      }
      set(r);
    }

    @Override
    public int size() {
      return raws.length;
    }

    @Override
    public float[] encode(String text) {
      return tokenize(text, kind, lowercase, false);
    }

    @Override
    public float raw(int i) {
      if (padded && i == 0) return Float.NaN; // the padding
      return i == first() - 1 ? -1 : raws[i]; // -1: no token has it, so it maps to out of vocabulary
    }

    @Override
    public String decode(int i) {
      if (padded && i == 0) return "";
      if (i == first() - 1) return kind == Tokens.CHARACTERS ? "\uFFFD" : "<unk>";
      return kind == Tokens.CHARACTERS ? Character.toString((int) raws[i]) : word((int) raws[i]);
    }

    @Override
    public String separator() {
      return kind == Tokens.CHARACTERS ? "" : " ";
    }
  }
}
