package dev.neurite.standard.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A reader of text data that counts lines and refuses a line longer than {@link #MAX_LINE}
 * characters (a file with no line ends, such as a link to {@code /dev/zero}, would otherwise be
 * read into memory whole). Its errors name the file and the line: a line too long, or bytes that
 * are not UTF-8.
 */
final class BoundedLines extends FilterReader {
  /** The longest line accepted: 1 Mi characters, far above any real row of numbers. */
  static final int MAX_LINE = 1 << 20;

  private final Path file;
  private long line = 1;
  private int lineLength;

  BoundedLines(Reader in, Path file) {
    super(in);
    this.file = file;
  }

  @Override
  public int read() throws IOException {
    char[] one = new char[1];
    return read(one, 0, 1) < 0 ? -1 : one[0];
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(buf, off, len);
    } catch (CharacterCodingException e) {
      long bad = lineOfInvalidUtf8(file);
      throw new IOException(file + ": line " + (bad > 0 ? bad : line) + " is not valid UTF-8 text (save the file as UTF-8)", e);
    }
    for (int i = off; i < off + Math.max(n, 0); i++) {
      if (buf[i] == '\n') {
        line++;
        lineLength = 0;
      } else if (++lineLength > MAX_LINE) {
        throw new IOException(file + ": line " + line + " is longer than " + MAX_LINE + " characters; is this a text file of rows?");
      }
    }
    return n;
  }

  /** The line of the first byte sequence in {@code file} that is not UTF-8, or 0 if there is none (the decoder reads ahead). */
  static long lineOfInvalidUtf8(Path file) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.allocate(1 << 16);
    CharBuffer out = CharBuffer.allocate(1 << 16);
    long line = 1;
    try (InputStream s = Files.newInputStream(file)) {
      for (boolean end = false; !end; ) {
        int n = s.read(in.array(), in.position(), in.remaining());
        end = n < 0;
        in.position(in.position() + Math.max(n, 0)).flip();
        int start = in.position();
        CoderResult r = decoder.decode(in, out, end);
        for (int i = start; i < in.position(); i++) if (in.get(i) == '\n') line++;
        if (r.isError()) return line;
        out.clear();
        in.compact();
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
