package dev.orchestra.template;

import dev.orchestra.OrchestraException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A text with {@code {{ … }}} references (docs/workflow.md), parsed once and rendered by plain text
 * substitution.
 *
 * <p>The accepted references are {@code {{ inputs.NAME }}}, {@code {{ nodes.ID.output }}}, {@code
 * {{ nodes.ID.outputs.NAME }}}, {@code {{ run.id }}} and {@code {{ env.NAME }}}; whitespace inside
 * the braces is optional. Malformed references become {@link #problems()}, never exceptions, so a
 * validator can report all of them at once. <code>\{{</code> stands for literal braces. Whether a
 * reference names a real input or node is not known here: that is the validator's job.
 *
 * <p>Where templates apply: prompts, {@code with} values, {@code env} values, context sources,
 * critic criteria, the workspace {@code ref} and workflow {@code outputs}. Shell commands ({@code
 * command} and {@code run} checks) are deliberately <em>not</em> templated: substituting model
 * output or inputs into text that {@code sh -c} interprets would let those values run commands.
 * Pass values to commands through {@code env} instead, where they arrive as data.
 *
 * <p>Parsing is a single linear scan. Instances are immutable and safe to share between threads.
 */
public final class Template {
  private final String text;
  private final String[] literals;
  private final List<Reference> references;
  private final List<TemplateProblem> problems;

  private Template(
      String text, String[] literals, List<Reference> references, List<TemplateProblem> problems) {
    this.text = text;
    this.literals = literals;
    this.references = List.copyOf(references);
    this.problems = List.copyOf(problems);
  }

  /** Parses {@code text}; never throws for malformed references (see {@link #problems()}). */
  public static Template parse(String text) {
    Objects.requireNonNull(text, "text");
    List<String> literals = new ArrayList<>();
    List<Reference> references = new ArrayList<>();
    List<TemplateProblem> problems = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (true) {
      int open = text.indexOf("{{", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      if (open > 0 && text.charAt(open - 1) == '\\') {
        literal.append(text, i, open - 1).append("{{");
        i = open + 2;
        continue;
      }
      literal.append(text, i, open);
      int close = closingBraces(text, open + 2);
      if (close < 0) {
        problems.add(
            new TemplateProblem(
                open,
                "unclosed '{{' in template; close the reference with '}}', or write '\\{{' for"
                    + " literal braces"));
        literal.append("{{");
        i = open + 2;
        continue;
      }
      int end = close + 2;
      Reference ref = ReferenceSyntax.interpret(text, open, end, problems);
      if (ref != null) {
        literals.add(literal.toString());
        literal.setLength(0);
        references.add(ref);
      } else {
        literal.append(text, open, end);
      }
      i = end;
    }
    literals.add(literal.toString());
    return new Template(text, literals.toArray(new String[0]), references, problems);
  }

  /**
   * The index of the <code>}}</code> closing a reference opened before {@code from}, or -1 when the
   * text ends or another <code>{{</code> opens first.
   */
  private static int closingBraces(String text, int from) {
    for (int j = from; j < text.length() - 1; j++) {
      char c = text.charAt(j);
      if (c == '}' && text.charAt(j + 1) == '}') {
        return j;
      }
      if (c == '{' && text.charAt(j + 1) == '{') {
        return -1;
      }
    }
    return -1;
  }

  /** The text as written. */
  public String text() {
    return text;
  }

  /** The well-formed references, in text order. */
  public List<Reference> references() {
    return references;
  }

  /** The malformed references, in text order; empty when the template is usable. */
  public List<TemplateProblem> problems() {
    return problems;
  }

  /** Whether the text holds no references at all, so that rendering returns it unchanged. */
  public boolean isLiteral() {
    return references.isEmpty() && problems.isEmpty() && literals[0].equals(text);
  }

  /**
   * Substitutes each reference with the resolver's value, as plain text.
   *
   * @param resolver answers the value of a reference, or {@code null} when it has none
   * @throws OrchestraException if the template has problems, or the resolver has no value for a
   *     reference; the message names the reference and where it stands
   */
  public String render(Function<Reference, String> resolver) {
    if (!problems.isEmpty()) {
      TemplateProblem p = problems.get(0);
      throw new OrchestraException(
          "cannot render a template with problems: "
              + p.message()
              + " (at "
              + where(p.offset())
              + "); validate the workflow first");
    }
    StringBuilder out = new StringBuilder(text.length() + 64);
    out.append(literals[0]);
    for (int k = 0; k < references.size(); k++) {
      Reference ref = references.get(k);
      String value = resolver.apply(ref);
      if (value == null) {
        throw new OrchestraException(
            "no value for "
                + ref
                + " (at "
                + where(ref.offset())
                + " of the template); check that the input is given or the node has run");
      }
      out.append(value).append(literals[k + 1]);
    }
    return out.toString();
  }

  /** {@code line L, column C} of an offset in the text, both 1-based. */
  private String where(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int j = 0; j < offset; j++) {
      if (text.charAt(j) == '\n') {
        line++;
        lineStart = j + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }

  @Override
  public String toString() {
    return text;
  }
}
