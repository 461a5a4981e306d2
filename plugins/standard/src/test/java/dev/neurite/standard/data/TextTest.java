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
    // a prompt's new word reads as out of vocabulary and does not join the JVM's word table (a service sees endless new words)
    String unseen = "never-seen-" + System.nanoTime();
    assertThat(((Vocabulary) restored).encode("the " + unseen)).containsExactly(v.raw(1), -1f);
    assertThat(((Vocabulary) restored).encode(unseen)).containsExactly(-1f);
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

  /** Rows: {@code max_length} and the rest of the row params, none of the window's. */
  private static Text rows(List<Path> paths, Text.Tokens tokens, int maxLength, String column, String label, String separator,
                           boolean filesAreClasses, Integer limit) {
    return new Text(new Text.Params(paths, tokens, Optional.empty(), Optional.empty(), Optional.of(maxLength), Optional.ofNullable(column),
        Optional.ofNullable(label), Optional.ofNullable(separator), filesAreClasses, Optional.ofNullable(limit), false));
  }

  @Test
  void linesArePaddedSequencesWhoseTargetsAreTheNextTokensAndPaddingIsIgnored() throws IOException {
    Text source = rows(List.of(file("l.txt", "abca\n\nba\nabcabcab\n")), Text.Tokens.CHARACTERS, 4, null, null, null, false, null);
    assertThat(source.ordered()).isFalse(); // rows are independent samples: the split may shuffle them
    Dataset all = source.load();
    Dataset.InMemory m = all.materialize();
    assertThat(m.size()).isEqualTo(3); // the blank line is skipped
    assertThat(all.origin(1)).endsWith("l.txt line 3");
    float nan = Float.NaN;
    float ig = dev.neurite.spi.StepMask.IGNORED_TARGET;
    assertThat(m.features().data()).containsExactly('a', 'b', 'c', 'a', 'b', 'a', nan, nan, 'a', 'b', 'c', 'a');
    assertThat(m.targets().data()).containsExactly('b', 'c', 'a', ig, 'a', ig, ig, ig, 'b', 'c', 'a', 'b');
    assertThat(all.report()).containsEntry("rows_truncated", 1);
    Transform vocabulary = source.preprocessing().get(0);
    vocabulary.fit(all); // a x6 (inputs), b x3 + the last target b, c x2: padding 0, out-of-vocabulary 1, then a, b, c
    Vocabulary v = (Vocabulary) vocabulary;
    assertThat(List.of(v.decode(1), v.decode(2), v.decode(3), v.decode(4))).containsExactly("\uFFFD", "a", "b", "c");
    Dataset.InMemory mapped = vocabulary.apply(all).materialize();
    assertThat(java.util.Arrays.copyOfRange(mapped.features().data(), 4, 8)).containsExactly(3, 2, 0, 0); // "ba" and padding
    assertThat(java.util.Arrays.copyOfRange(mapped.targets().data(), 4, 8)).containsExactly(2, ig, ig, ig);
    Transform restored = rows(List.of(dir.resolve("l.txt")), Text.Tokens.CHARACTERS, 4, null, null, null, false, null).preprocessing().get(0);
    restored.restore(vocabulary.state(), vocabulary.metadata());
    assertThat(restored.apply(all).materialize().features().data()).containsExactly(mapped.features().data());
    Transform windows = text(List.of(dir.resolve("l.txt")), Text.Tokens.CHARACTERS, 2, null, null).preprocessing().get(0);
    assertThatThrownBy(() -> windows.restore(vocabulary.state(), vocabulary.metadata()))
        .hasMessage("the saved vocabulary was made for padded rows, but the config reads windows");
  }

  @Test
  void csvRecordsGiveTheirTextColumnAndClassIndexAndBadOnesAreNamed() throws IOException {
    Path csv = file("r.csv", "id,text,topic\n1,\"the cat, the dog\",0\n2,\"a bird\nsang\",2\n3,,1\n");
    Text source = rows(List.of(csv), Text.Tokens.WORDS, 3, "text", "topic", null, false, null);
    Dataset all = source.load();
    Dataset.InMemory m = all.materialize();
    assertThat(m.targets().data()).containsExactly(0, 2, 1);
    assertThat(all.report()).containsEntry("rows_truncated", 1); // "the cat, the dog" is four words
    assertThat(all.origin(1)).contains("r.csv record 2");
    Transform vocabulary = source.preprocessing().get(0);
    vocabulary.fit(all); // the x2, then cat, (, the) ... ; the labels stay as they are
    Dataset.InMemory mapped = vocabulary.apply(all).materialize();
    assertThat(mapped.targets().data()).containsExactly(0, 2, 1);
    assertThat(java.util.Arrays.copyOfRange(mapped.features().data(), 6, 9)).containsExactly(0, 0, 0); // an empty text: all padding
    assertThat(((Vocabulary) vocabulary).decode(2)).isEqualTo("the");

    assertThatThrownBy(() -> rows(List.of(csv), Text.Tokens.WORDS, 3, "txt", "topic", null, false, null).load())
        .hasMessageStartingWith(csv + ": no column 'txt'").hasMessageContaining("The header names: id, text, topic");
    Path bad = file("bad.csv", "text,topic\nhello,0\nworld,news\n");
    assertThatThrownBy(() -> rows(List.of(bad), Text.Tokens.WORDS, 3, "text", "topic", null, false, null).load())
        .hasMessage(bad + " record 2 (line 3): label 'news' in column 'topic' is not a class index (a whole number 0, 1, 2, ...)");
  }

  @Test
  void partsBetweenSeparatorLinesAreSequencesLabelledByTheirFile() throws IOException {
    Path a = file("a", "one\ntwo\n%\nthree\n%\n");
    Path b = file("b", "four\n%\n%\nfive six\n");
    Text source = rows(List.of(a, b), Text.Tokens.WORDS, 4, null, null, "%", true, null);
    Dataset all = source.load();
    Dataset.InMemory m = all.materialize();
    assertThat(m.size()).isEqualTo(4); // the empty part between two % lines is skipped
    assertThat(m.targets().data()).containsExactly(0, 0, 1, 1);
    assertThat(all.origin(0)).endsWith("a lines 1-2");
    assertThat(all.origin(3)).endsWith("b lines 4-4");
    Path empty = file("c", "%\n");
    assertThatThrownBy(() -> rows(List.of(a, empty), Text.Tokens.WORDS, 4, null, null, "%", true, null).load())
        .hasMessage(empty + ": no sequence in this file, so its class would have no sample");
  }

  @Test
  void rowParamsThatDoNotGoTogetherAreRefusedWithWhatWould() {
    Path f = dir.resolve("x.txt");
    assertThatThrownBy(() -> new Text.Params(List.of(f), Text.Tokens.WORDS, Optional.of(4), Optional.empty(), Optional.of(4), Optional.empty(),
        Optional.empty(), Optional.empty(), false, Optional.empty(), false))
        .hasMessage("give window (windows over the whole text) or max_length (one sequence per row), not both");
    assertThatThrownBy(() -> new Text.Params(List.of(f), Text.Tokens.WORDS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, Optional.empty(), false))
        .hasMessageStartingWith("needs window (a language model's windows over the whole text) or max_length");
    assertThatThrownBy(() -> rows(List.of(f), Text.Tokens.WORDS, 4, null, "y", null, false, null))
        .hasMessage("label names a CSV column: give column (the text's) too");
    assertThatThrownBy(() -> rows(List.of(f), Text.Tokens.WORDS, 4, "text", null, "%", false, null))
        .hasMessageStartingWith("separator splits text files into sequences");
    assertThatThrownBy(() -> rows(List.of(f), Text.Tokens.WORDS, 4, "text", "y", null, true, null))
        .hasMessageStartingWith("files_are_classes labels each sequence by its file");
  }
}
