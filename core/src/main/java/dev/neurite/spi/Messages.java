package dev.neurite.spi;

import java.nio.charset.CharacterCodingException;

/** Short, safe pieces of error messages: user values echoed in bounded length, causes without Java internals. */
public final class Messages {
  /** The most characters of a user's value (a cell, a name, a path from a file) an error message repeats. */
  public static final int ECHO_LIMIT = 120;

  private Messages() {}

  /** {@code value} cut to {@code max} characters, saying how long it was when cut; control characters are escaped. */
  public static String truncate(String value, int max) {
    String s = value.length() > max ? value.substring(0, max) + "... (" + value.length() + " characters)" : value;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
      else out.append(c);
    }
    return out.toString();
  }

  /** {@link #truncate(String, int)} to {@link #ECHO_LIMIT}. */
  public static String echo(String value) {
    return truncate(value, ECHO_LIMIT);
  }

  /** A one-line description of why something failed, without the exception's class name. */
  public static String brief(Throwable e) {
    if (e instanceof CharacterCodingException) return "not valid UTF-8";
    String m = e.getMessage();
    if (m == null || m.isBlank()) return e.getClass().getSimpleName();
    m = m.replaceFirst("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*: ", "").replaceAll("\\s+", " ").trim();
    return truncate(m, 300);
  }
}
