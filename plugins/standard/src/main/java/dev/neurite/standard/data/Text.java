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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

@Doc("Text for language modelling: UTF-8 files read in order and joined by newlines, split into characters or "
    + "whitespace-separated words, cut into windows of `window` tokens; each window's targets are the tokens that follow "
    + "each of its tokens ([window] class indices, next-token prediction). The windows are in text order, so data.split "
    + "cuts the text into spans (training first). The vocabulary is built on the training split: the tokens by count "
    + "(ties by text order), at most max_vocabulary of them with index 0 for any other (out of vocabulary); it is saved "
    + "with the run and restored for evaluate, predict and generate")
@Example("paths: [corpus.txt], window: 64")
public final class Text implements DataSource {
  public enum Tokens { CHARACTERS, WORDS }

  public record Params(
      @Doc("the text files, read in order") List<Path> paths,
      @Doc("characters (Unicode code points) or words (runs of non-whitespace)") @Default("characters") Tokens tokens,
      @Doc("tokens per sample") @Min(1) int window,
      @Doc("tokens between the starts of two windows; the window by default (no overlap)") Optional<Integer> stride,
      @Doc("at most this many vocabulary entries, the out-of-vocabulary token included") Optional<Integer> maxVocabulary,
      @Doc("lower-case the text first") @Default("false") boolean lowercase) {
    public Params {
      if (paths.isEmpty()) throw new IllegalArgumentException("paths needs at least one file");
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

  @Override
  public boolean ordered() {
    return true;
  }

  @Override
  public List<Path> files() {
    return p.paths();
  }

  @Override
  public List<Transform> preprocessing() {
    return List.of(new TokenVocabulary(p.tokens(), p.maxVocabulary().orElse(Integer.MAX_VALUE), p.lowercase()));
  }

  @Override
  public Dataset load() {
    StringBuilder text = new StringBuilder();
    for (Path file : p.paths()) {
      if (text.length() > 0) text.append('\n');
      text.append(read(file));
    }
    float[] tokens = tokenize(text.toString(), p.tokens(), p.lowercase());
    int window = p.window();
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

  private static String read(Path file) {
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

  /** Raw token values: code points, or word numbers from the shared table. */
  static float[] tokenize(String text, Tokens kind, boolean lowercase) {
    if (lowercase) text = text.toLowerCase(java.util.Locale.ROOT);
    if (kind == Tokens.CHARACTERS) {
      return text.codePoints().mapToObj(c -> (float) c).collect(FloatArray.COLLECT);
    }
    List<Float> ids = new ArrayList<>();
    for (String w : text.split("\\s+")) if (!w.isEmpty()) ids.add(wordId(w));
    float[] out = new float[ids.size()];
    for (int i = 0; i < out.length; i++) out[i] = ids.get(i);
    return out;
  }

  /** Collects boxed floats into a float[] (code points are exact in a float: they stay below 2^21). */
  private static final class FloatArray {
    static final java.util.stream.Collector<Float, ?, float[]> COLLECT = java.util.stream.Collector.of(
        ArrayList<Float>::new, List::add, (a, b) -> {
          a.addAll(b);
          return a;
        }, l -> {
          float[] out = new float[l.size()];
          for (int i = 0; i < out.length; i++) out[i] = l.get(i);
          return out;
        });
  }

  /**
   * The vocabulary, fitted on the training windows: index 0 for out-of-vocabulary tokens, then the
   * tokens by count, most frequent first (ties: first seen first). Maps inputs and targets.
   */
  static final class TokenVocabulary implements Transform, Vocabulary {
    private static final Gson GSON = new Gson();
    private final Tokens kind;
    private final int limit;
    private final boolean lowercase;
    /** Raw value of each index (index 0: NaN, out of vocabulary). */
    private float[] raws;
    private Map<Float, Integer> index;

    TokenVocabulary(Tokens kind, int limit, boolean lowercase) {
      this.kind = kind;
      this.limit = limit;
      this.lowercase = lowercase;
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
        for (float v : x) count(counts, v, seen++);
        count(counts, y[y.length - 1], seen++); // the window's last target: the text the inputs do not cover
      }
      List<Map.Entry<Float, long[]>> byCount = new ArrayList<>(counts.entrySet());
      byCount.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
          : Long.compare(a.getValue()[1], b.getValue()[1]));
      int size = Math.min(limit, byCount.size() + 1);
      float[] r = new float[size];
      r[0] = Float.NaN;
      for (int i = 1; i < size; i++) r[i] = byCount.get(i - 1).getKey();
      set(r);
    }

    private static void count(Map<Float, long[]> counts, float v, long at) {
      counts.computeIfAbsent(v, k -> new long[] {0, at})[0]++;
    }

    private void set(float[] r) {
      raws = r;
      index = new HashMap<>();
      for (int i = 1; i < r.length; i++) index.put(r[i], i);
    }

    private float map(float raw) {
      Integer i = index.get(raw);
      return i == null ? 0 : i;
    }

    @Override
    public Dataset apply(Dataset data) {
      return data.map((x, off, y, yOff) -> {
        int n = data.sampleShape().size();
        for (int i = 0; i < n; i++) x[off + i] = map(x[off + i]);
        int m = data.targetShape().size();
        if (data.targetShape().equals(data.sampleShape())) for (int i = 0; i < m; i++) y[yOff + i] = map(y[yOff + i]);
      });
    }

    @Override
    public Map<String, String> metadata() {
      List<String> tokens = new ArrayList<>();
      for (int i = 1; i < raws.length; i++) tokens.add(decode(i));
      return Map.of("tokens", GSON.toJson(tokens), "kind", kind.name().toLowerCase(), "lowercase", Boolean.toString(lowercase));
    }

    @Override
    public void restore(Map<String, Tensor> state, Map<String, String> metadata) {
      String json = metadata.get("tokens");
      if (json == null) throw new IllegalArgumentException("the saved vocabulary lacks its tokens");
      List<String> tokens = GSON.fromJson(json, new TypeToken<List<String>>() {}.getType());
      float[] r = new float[tokens.size() + 1];
      r[0] = Float.NaN;
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i);
        r[i + 1] = kind == Tokens.CHARACTERS ? t.codePointAt(0) : wordId(t);
      }
      set(r);
    }

    @Override
    public int size() {
      return raws.length;
    }

    @Override
    public float[] encode(String text) {
      return tokenize(text, kind, lowercase);
    }

    @Override
    public float raw(int i) {
      return i == 0 ? -1 : raws[i];
    }

    @Override
    public String decode(int i) {
      if (i == 0) return kind == Tokens.CHARACTERS ? "\uFFFD" : "<unk>";
      return kind == Tokens.CHARACTERS ? Character.toString((int) raws[i]) : word((int) raws[i]);
    }

    @Override
    public String separator() {
      return kind == Tokens.CHARACTERS ? "" : " ";
    }
  }
}
