package dev.orchestra.cli.report;

import java.util.regex.Pattern;

/** Text made safe for HTML, SVG and XML reports. Stateless and thread-safe. */
final class Markup {
  /** ANSI escape sequences (colours, cursor moves) that tools print into check output. */
  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?");

  private Markup() {}

  /** {@code text} with {@code & < > " '} as character references, for content and attributes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * {@code text} without ANSI escape sequences, and with every other character that XML 1.0 does
   * not allow (control characters but tab, newline and carriage return; unpaired surrogates;
   * U+FFFE, U+FFFF) replaced by U+FFFD, so that output captured from tools cannot make a report
   * unreadable.
   */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    String s = ANSI.matcher(text).replaceAll("");
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (c == '\t'
          || c == '\n'
          || c == '\r'
          || (c >= 0x20 && c < 0xD800)
          || (c > 0xDFFF && c < 0xFFFE)) {
        b.append(c);
      } else {
        b.append('\uFFFD');
      }
    }
    return b.toString();
  }

  /**
   * The last {@code max} characters of {@code text}, starting after a line break when the cut falls
   * inside a line not far from one, and marked with a leading ellipsis when cut.
   */
  static String tail(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int from = text.length() - max;
    int nl = text.indexOf('\n', from);
    if (nl >= 0 && nl - from < 200) {
      from = nl + 1;
    }
    return "…\n" + text.substring(from);
  }

  /** The first line of {@code text}, stripped. */
  static String firstLine(String text) {
    String s = text.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).strip();
  }
}
