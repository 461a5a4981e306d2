package dev.neurite.spi;

/**
 * A check of a dataset's rows failed at row {@link #row()} (of the dataset the check was given, a
 * split or a transformed view). The message says {@code row N}; whoever holds the dataset replaces
 * that with {@link Dataset#origin} through {@link #at}, so the user reads the file and line.
 */
public class DataRowException extends IllegalArgumentException {
  private final int row;
  private final String before;
  private final String after;
  private final boolean badValue;

  /**
   * The message is {@code before + "row " + row + after}. {@code badValue}: the row holds a value no
   * model could use (a data error), rather than one this model does not fit (a config error).
   */
  public DataRowException(int row, String before, String after, boolean badValue) {
    super(before + "row " + row + after);
    this.row = row;
    this.before = before;
    this.after = after;
    this.badValue = badValue;
  }

  public int row() {
    return row;
  }

  public boolean badValue() {
    return badValue;
  }

  /** The message with the row named by {@code origin} ({@code digits.csv line 42}). */
  public String at(String origin) {
    return before + origin + after;
  }
}
