package dev.neurite.report;

import java.util.Base64;
import java.util.List;

/** A small HTML writer: escaped text, headings, tables and inline PNG images, into one self-contained page. */
final class Html {
  private static final String STYLE = """
      body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1340px;padding:0 1em;color:#222}
      h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
      table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
      th{background:#f2f2f2}td.text,th.text{text-align:left}pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.85em}
      .charts{display:flex;flex-wrap:wrap;gap:.8em}.charts img{border:1px solid #ddd;max-width:100%}
      .note{color:#666;font-size:.9em}nav a{margin-right:1em}
      """;
  private final StringBuilder b = new StringBuilder();

  /** A page: the head with {@code title} and the style, then what is written into it. */
  Html(String title) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><link rel=\"icon\" href=\"data:,\"><style>").append(STYLE).append("</style></head><body>\n");
  }

  private Html() {}

  /** A part of a page, to be placed into one with {@link #raw} ({@link #content}). */
  static Html fragment() {
    return new Html();
  }

  /** What has been written so far. */
  String content() {
    return b.toString();
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  Html h1(String text) {
    return raw("<h1>" + escape(text) + "</h1>\n");
  }

  Html h2(String id, String text) {
    return raw("<h2 id=\"" + escape(id) + "\">" + escape(text) + "</h2>\n");
  }

  Html h3(String text) {
    return raw("<h3>" + escape(text) + "</h3>\n");
  }

  Html p(String text) {
    return raw("<p>" + escape(text) + "</p>\n");
  }

  Html note(String text) {
    return raw("<p class=\"note\">" + escape(text) + "</p>\n");
  }

  Html pre(String text) {
    return raw("<pre>" + escape(text) + "</pre>\n");
  }

  /** Section links. */
  Html nav(List<String[]> idAndTitle) {
    b.append("<nav>");
    for (String[] s : idAndTitle) b.append("<a href=\"#").append(escape(s[0])).append("\">").append(escape(s[1])).append("</a>");
    return raw("</nav>\n");
  }

  /** A table; a cell is a {@link Cell} (number: right-aligned, with its exact value in {@code data-value}) or text. */
  Html table(String id, List<String> header, List<List<Cell>> rows) {
    b.append("<table").append(id == null ? "" : " id=\"" + escape(id) + "\"").append("><thead><tr>");
    for (int i = 0; i < header.size(); i++) b.append(i == 0 ? "<th class=\"text\">" : "<th>").append(escape(header.get(i))).append("</th>");
    b.append("</tr></thead><tbody>\n");
    for (List<Cell> row : rows) {
      b.append("<tr>");
      for (Cell c : row) b.append(c.html());
      b.append("</tr>\n");
    }
    return raw("</tbody></table>\n");
  }

  /** Inline PNGs side by side. */
  Html images(List<Image> images) {
    b.append("<div class=\"charts\">");
    for (Image i : images) {
      b.append("<img alt=\"").append(escape(i.alt())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(i.png())).append("\">");
    }
    return raw("</div>\n");
  }

  Html raw(String html) {
    b.append(html);
    return this;
  }

  String finish() {
    return b + "</body></html>\n";
  }

  record Image(String alt, byte[] png) {}

  /** A table cell: text, or a number shown rounded with its exact value kept in {@code data-value}. */
  record Cell(String text, Double value) {
    static Cell text(String s) {
      return new Cell(s, null);
    }

    static Cell number(double v) {
      return new Cell(Charts.format(v), v);
    }

    String html() {
      if (value == null) return "<td class=\"text\">" + escape(text) + "</td>";
      return "<td data-value=\"" + value + "\">" + escape(text) + "</td>";
    }
  }
}
