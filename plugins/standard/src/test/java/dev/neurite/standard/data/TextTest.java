package dev.neurite.standard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurite.config.SplitSpec;
import dev.neurite.spi.Dataset;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.RandomStream;
import dev.neurite.spi.Transform;
import dev.neurite.spi.Vocabulary;
import dev.neurite.train.Splits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private static Text text(List<Path> paths, Text.Tokens tokens, int window, Integer stride, Integer limit) {
    return new Text(new Text.Params(paths, tokens, window, Optional.ofNullable(stride), Optional.ofNullable(limit), false));
  }

  private static String chars(float[] codePoints) {
    StringBuilder s = new StringBuilder();
    for (float c : codePoints) s.appendCodePoint((int) c);
    return s.toString();
  }

  @Test
  void windowsOfCharactersPredictTheNextCharacterFilesJoinedByANewline() throws IOException {
    Text source = text(List.of(file("a.txt", "abcd"), file("b.txt", "éfgh")), Text.Tokens.CHARACTERS, 3, 2, null);
    Dataset d = source.load(); // "abcd\néfgh": 9 characters, windows start at 0, 2, 4 (each needs the next character too)
    Dataset.InMemory m = d.materialize();
    assertThat(m.size()).isEqualTo(3);
    assertThat(chars(java.util.Arrays.copyOfRange(m.features().data(), 0, 3))).isEqualTo("abc");
    assertThat(chars(java.util.Arrays.copyOfRange(m.targets().data(), 0, 3))).isEqualTo("bcd");
    assertThat(chars(java.util.Arrays.copyOfRange(m.features().data(), 6, 9))).isEqualTo("\néf");
    assertThat(chars(java.util.Arrays.copyOfRange(m.targets().data(), 6, 9))).isEqualTo("éfg");
    assertThat(source.ordered()).isTrue();
    assertThat(d.origin(2)).endsWith("tokens 4-7");
  }

  @Test
  void theVocabularyIsFittedOnTheTrainingSpanByCountAndMapsUnknownCharactersToZero() throws IOException {
    // windows at 0, 2, 4, 6, 8: inputs "aa", "ba", "ab", "aa", "bc", targets "ab", "aa", "ba", "ab", "ca"
    Text source = text(List.of(file("t.txt", "aabaabaabcaz")), Text.Tokens.CHARACTERS, 2, null, null);
    Dataset all = source.load();
    Splits splits = Splits.of(all, new SplitSpec(0.6, 0.2, 0.2, false), new RandomStream(1), true);
    Transform vocabulary = source.preprocessing().get(0);
    vocabulary.fit(splits.train()); // the first three windows, "aabaab" and their last targets b, a, a: a x6, b x3
    Vocabulary v = (Vocabulary) vocabulary;
    assertThat(v.size()).isEqualTo(3);
    assertThat(v.decode(1)).isEqualTo("a");
    assertThat(v.decode(2)).isEqualTo("b");
    assertThat(v.decode(0)).isEqualTo("\uFFFD");
    Dataset.InMemory test = vocabulary.apply(splits.test()).materialize(); // the last window: "bc", targets "ca"
    assertThat(test.features().data()).containsExactly(2, 0); // 'c' was never seen in training
    assertThat(test.targets().data()).containsExactly(0, 1);

    // saved and restored, as evaluate and generate do
    Transform restored = text(List.of(dir.resolve("t.txt")), Text.Tokens.CHARACTERS, 2, null, null).preprocessing().get(0);
    restored.restore(vocabulary.state(), vocabulary.metadata());
    assertThat(restored.apply(splits.test()).materialize().features().data()).containsExactly(2, 0);
    assertThat(((Vocabulary) restored).encode("ab")).containsExactly('a', 'b');
    assertThat(((Vocabulary) restored).raw(2)).isEqualTo('b');
  }

  @Test
  void aVocabularyLimitKeepsTheCommonestWordsAndWordsSurviveARestore() throws IOException {
    Text source = text(List.of(file("w.txt", "the cat saw the dog and the cat ran off")), Text.Tokens.WORDS, 3, 1, 3);
    Dataset all = source.load();
    assertThat(all.size()).isEqualTo(10 - 3);
    Transform vocabulary = source.preprocessing().get(0);
    vocabulary.fit(all);
    Vocabulary v = (Vocabulary) vocabulary;
    assertThat(v.size()).isEqualTo(3); // the limit: out-of-vocabulary, "the", "cat"
    assertThat(List.of(v.decode(0), v.decode(1), v.decode(2))).containsExactly("<unk>", "the", "cat");
    assertThat(v.separator()).isEqualTo(" ");
    Transform restored = text(List.of(dir.resolve("w.txt")), Text.Tokens.WORDS, 3, 1, 3).preprocessing().get(0);
    restored.restore(vocabulary.state(), vocabulary.metadata());
    Dataset.InMemory mapped = restored.apply(all).materialize();
    assertThat(java.util.Arrays.copyOfRange(mapped.features().data(), 0, 3)).containsExactly(1, 2, 0); // the cat saw
  }

  @Test
  void badTextIsNamedWithItsFileAndWhatWouldWork() throws IOException {
    Path missing = dir.resolve("none.txt");
    assertThatThrownBy(() -> text(List.of(missing), Text.Tokens.CHARACTERS, 4, null, null).load())
        .isInstanceOf(NeuriteException.class).hasMessage(missing + ": file not found");
    Path latin1 = dir.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'a', (byte) 0xE9, 'b'});
    assertThatThrownBy(() -> text(List.of(latin1), Text.Tokens.CHARACTERS, 1, null, null).load())
        .hasMessageStartingWith(latin1 + ": not UTF-8 text");
    Path shortText = file("short.txt", "abc");
    assertThatThrownBy(() -> text(List.of(shortText), Text.Tokens.CHARACTERS, 3, null, null).load())
        .hasMessage("[" + shortText + "]: 3 characters give no window of 3 tokens and the next one; use a smaller window or more text");
    assertThatThrownBy(() -> new Text.Params(List.of(shortText), Text.Tokens.CHARACTERS, 3, Optional.of(0), Optional.empty(), false))
        .hasMessage("stride must be at least 1, got 0");
  }
}
