package dev.neurite.config;

/** YAML spellings of Java names. */
public final class Names {
  private Names() {}

  /** {@code batchSize} -> {@code batch_size}: record components are camelCase, YAML keys snake_case. */
  public static String yamlKey(String javaName) {
    StringBuilder sb = new StringBuilder();
    for (char c : javaName.toCharArray()) {
      if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
      else sb.append(c);
    }
    return sb.toString();
  }
}
