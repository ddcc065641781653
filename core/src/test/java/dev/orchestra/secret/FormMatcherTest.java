package dev.orchestra.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormMatcherTest {

  @Test
  void findsTheSameCharactersAsSearchingForEachFormOnItsOwn() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<String> forms = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(12); i++) {
        forms.add(word(random, 1 + random.nextInt(6)));
      }
      String text = word(random, random.nextInt(200));
      FormMatcher matcher = FormMatcher.of(forms);

      boolean[] cover = matcher.scan(text, Integer.MAX_VALUE).cover();

      boolean[] expected = new boolean[text.length()];
      boolean any = false;
      for (String form : forms) {
        for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
          Arrays.fill(expected, at, at + form.length(), true);
          any = true;
        }
      }
      assertThat(cover == null ? new boolean[text.length()] : cover)
          .as("forms %s in %s", forms, text)
          .isEqualTo(expected);
      assertThat(cover != null).isEqualTo(any);
    }
  }

  @Test
  void readsAcrossLineBreaksAndTheirJsonEscapesButNotAcrossEscapedBackslashes() {
    FormMatcher matcher = FormMatcher.of(List.of("abcdef"));

    assertThat(covered(matcher, "xabc\ndefx")).isEqualTo("x" + "*".repeat(7) + "x");
    assertThat(covered(matcher, "xab\\ncd\\r\\nefx")).isEqualTo("x" + "*".repeat(12) + "x");
    assertThat(covered(matcher, "xabc\\\\ndefx")).isEqualTo("xabc\\\\ndefx");
    // A value with a backslash in it, wrapped right after the backslash.
    FormMatcher withBackslash = FormMatcher.of(List.of("p@ss\"w\\rd/+="));
    assertThat(covered(withBackslash, "split p@ss\"w\\\nrd/+= end"))
        .isEqualTo("split " + "*".repeat(13) + " end");
  }

  @Test
  void reportsWhereAStartOfAFormAtTheEndBegins() {
    FormMatcher matcher = FormMatcher.of(List.of("abcdef", "zzzz"));

    assertThat(matcher.scan("hello abc", 2).pending()).isEqualTo(6);
    assertThat(matcher.scan("hello a", 2).pending()).isEqualTo(7);
    assertThat(matcher.scan("hello ab\ncd", 2).pending()).isEqualTo(6);
    assertThat(matcher.scan("hello", 2).pending()).isEqualTo(5);
  }

  /** {@code text} with each covered character as {@code *}. */
  private static String covered(FormMatcher matcher, String text) {
    boolean[] cover = matcher.scan(text, Integer.MAX_VALUE).cover();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      out.append(cover != null && cover[i] ? '*' : text.charAt(i));
    }
    return out.toString();
  }

  private static String word(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) ('a' + random.nextInt(3)));
    }
    return out.toString();
  }
}
