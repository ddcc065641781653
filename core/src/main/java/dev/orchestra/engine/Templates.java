package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{ reference }}} placeholders (SPEC §3) by plain text substitution: values are
 * inserted as they are, never through a shell, and are not rendered again.
 */
final class Templates {
  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  private Templates() {}

  /**
   * Replaces each reference with {@code resolve(reference)}.
   *
   * @throws OrchestraException from {@code resolve} when a reference has no value
   */
  static String render(String template, UnaryOperator<String> resolve) {
    if (template == null || template.indexOf("{{") < 0) {
      return template;
    }
    Matcher m = REFERENCE.matcher(template);
    StringBuilder sb = new StringBuilder(template.length() + 64);
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(resolve.apply(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
