package dev.orchestra.template;

import java.util.List;

/** Reads one <code>{{ … }}</code> into a {@link Reference}, or says what is wrong with it. */
final class ReferenceSyntax {
  private static final String[] ROOTS = {"inputs", "nodes", "run", "env"};
  private static final int MAX_PARTS = 4;

  private ReferenceSyntax() {}

  /**
   * Interprets the reference spanning {@code text[open, end)}, braces included.
   *
   * @return the reference, or {@code null} after adding what is wrong with it to {@code problems}
   */
  static Reference interpret(String text, int open, int end, List<TemplateProblem> problems) {
    String[] parts = new String[MAX_PARTS];
    int count = split(text, open + 2, end - 2, parts);
    String problem = count > 0 ? shapeProblem(parts, count) : null;
    if (count <= 0 || problem != null) {
      String raw = text.substring(open, end);
      String message;
      if (count == 0) {
        message =
            "empty reference '" + raw + "'; write e.g. {{ inputs.NAME }} or {{ nodes.ID.output }}";
      } else if (count < 0) {
        message =
            "cannot read reference '"
                + raw
                + "': a reference is a dotted path of names such as {{ inputs.NAME }} or"
                + " {{ nodes.ID.output }}; expressions and filters are not supported";
      } else {
        message = problem.replace("%s", raw);
      }
      problems.add(new TemplateProblem(open, message));
      return null;
    }
    int length = end - open;
    return switch (parts[0]) {
      case "inputs" -> new Reference(Reference.Kind.INPUT, null, parts[1], open, length);
      case "nodes" ->
          count == 3
              ? new Reference(Reference.Kind.NODE_OUTPUT, parts[1], null, open, length)
              : new Reference(Reference.Kind.NODE_NAMED_OUTPUT, parts[1], parts[3], open, length);
      case "run" -> new Reference(Reference.Kind.RUN_ID, null, null, open, length);
      default -> new Reference(Reference.Kind.ENV, null, parts[1], open, length);
    };
  }

  /**
   * Splits {@code text[from, to)}, surrounding whitespace ignored, at dots into {@code parts}.
   *
   * @return the number of parts; 0 when blank; -1 when a part is empty or holds a character other
   *     than letters, digits, {@code _} and {@code -}, or there are too many parts
   */
  private static int split(String text, int from, int to, String[] parts) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    if (from == to) {
      return 0;
    }
    int count = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || text.charAt(i) == '.') {
        if (i == start || count == MAX_PARTS) {
          return -1;
        }
        parts[count++] = text.substring(start, i);
        start = i + 1;
      } else if (!isNameChar(text.charAt(i))) {
        return -1;
      }
    }
    return count;
  }

  /** What is wrong with a dotted path ({@code %s} standing for the reference), or null. */
  private static String shapeProblem(String[] parts, int count) {
    return switch (parts[0]) {
      case "inputs" -> count == 2 ? null : "reference '%s' must have the form {{ inputs.NAME }}";
      case "nodes" ->
          (count == 3 && parts[2].equals("output")) || (count == 4 && parts[2].equals("outputs"))
              ? null
              : "reference '%s' must have the form {{ nodes.ID.output }} or"
                  + " {{ nodes.ID.outputs.NAME }}";
      case "run" ->
          count == 2 && parts[1].equals("id")
              ? null
              : "unknown run property in '%s'; the only one is {{ run.id }}";
      case "env" -> count == 2 ? null : "reference '%s' must have the form {{ env.NAME }}";
      default -> unknownRoot(parts[0]);
    };
  }

  private static String unknownRoot(String root) {
    String hint = "";
    for (String known : ROOTS) {
      if (known.equals(root + "s") || (known + "s").equals(root)) {
        hint = "did you mean '" + known + "'? ";
      }
    }
    return "unknown reference '%s': "
        + hint
        + "a reference starts with inputs, nodes, run or env (write '\\{{' for literal braces)";
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }
}
