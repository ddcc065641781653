package dev.orchestra.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The forms in which a secret shows in output, each of which {@link SecretMasker} masks:
 *
 * <ul>
 *   <li>as is, and with its line breaks anywhere ({@link FormMatcher} ignores them);
 *   <li>JSON-escaped, as agent CLIs print tool output in their event streams: {@code \"}, {@code
 *       \\}, control characters; also with {@code \/}, with non-ASCII as {@code \}{@code uXXXX}
 *       (either case), with Go's HTML-safe escapes of {@code < > &}, and escaped twice (JSON in a
 *       JSON string);
 *   <li>shell-quoted: bash's {@code printf %q} (a backslash before each special character),
 *       single-quoted ({@code '\''} or {@code '"'"'} for a quote), Python's {@code repr}, and with
 *       backslashes doubled;
 *   <li>URL-encoded over UTF-8, for the unreserved sets of Java's {@code URLEncoder}, RFC 3986,
 *       JavaScript's {@code encodeURIComponent} and Python's {@code quote}, with upper- or
 *       lower-case hex and a space as {@code +} or {@code %20};
 *   <li>base64, standard and URL-safe, with and without padding, on its own and inside the base64
 *       of a longer text (the three alignments of the secret to 3-byte groups; there the characters
 *       that also depend on neighbouring bytes stay visible, at most two on each side);
 *   <li>hex of its UTF-8 bytes, lower or upper case.
 * </ul>
 *
 * A form that starts with {@code n} or {@code r} also comes with a backslash before it, since
 * {@link FormMatcher} reads {@code \n} as a line break: a raw {@code C:\new-secret} is masked with
 * its backslash.
 */
final class SecretForms {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Characters that URL encoders leave as they are, besides ASCII letters and digits. */
  private static final List<String> URL_SAFE = List.of(".-*_", "-._~", "-_.!~*'()", "_.-~/");

  /** What bash's {@code printf %q} puts a backslash before (lib/sh/shquote.c). */
  private static final String SHELL_SPECIAL = " \t\n'\"\\|&;()<>!{}*[]?^$`";

  private SecretForms() {}

  /** The forms of {@code secret}, at least {@code minLength} characters long each. */
  static Set<String> of(String secret, int minLength) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String json = json(secret, false, false, false);
    forms.add(json);
    forms.add(json.replace("/", "\\/"));
    forms.add(json(secret, true, false, false));
    forms.add(json(secret, true, true, false));
    forms.add(json(secret, false, false, true));
    forms.add(json(json, false, false, false));
    forms.add(bashQuoted(secret));
    forms.add(secret.replace("'", "'\\''"));
    forms.add(secret.replace("'", "'\"'\"'"));
    forms.add(secret.replace("\\", "\\\\").replace("'", "\\'"));
    forms.add(secret.replace("\\", "\\\\"));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (String safe : URL_SAFE) {
      for (boolean lower : new boolean[] {false, true}) {
        String encoded = percentEncoded(bytes, safe, lower);
        forms.add(encoded);
        if (safe.equals(".-*_")) {
          forms.add(encoded.replace("%20", "+"));
        }
      }
    }
    base64(bytes, forms);
    String hex = hex(bytes);
    forms.add(hex);
    forms.add(hex.toLowerCase(Locale.ROOT));
    Set<String> all = new LinkedHashSet<>();
    for (String form : forms) {
      if (form.length() < minLength) {
        continue;
      }
      all.add(form);
      if (form.charAt(0) == 'n' || form.charAt(0) == 'r') {
        all.add("\\" + form);
      }
    }
    return all;
  }

  /**
   * {@code s} as inside a JSON string.
   *
   * @param ascii whether non-ASCII characters are escaped too ({@code \}{@code uXXXX})
   * @param upper whether such escapes use upper-case hex
   * @param html whether {@code <}, {@code >}, {@code &}, U+2028 and U+2029 are escaped (Go)
   */
  static String json(String s, boolean ascii, boolean upper, boolean html) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          boolean escape =
              c < 0x20
                  || (ascii && c > 0x7e)
                  || (html && (c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029));
          if (escape) {
            String hex = String.format(Locale.ROOT, upper ? "%04X" : "%04x", (int) c);
            out.append("\\u").append(hex);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** {@code s} as bash's {@code printf %q} prints a printable string. */
  static String bashQuoted(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean escape =
          SHELL_SPECIAL.indexOf(c) >= 0
              || (c == '#' && i == 0)
              || (c == '~' && (i == 0 || s.charAt(i - 1) == '=' || s.charAt(i - 1) == ':'));
      if (escape) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String percentEncoded(byte[] bytes, String safe, boolean lower) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int v = b & 0xff;
      boolean plain =
          (v >= 'a' && v <= 'z')
              || (v >= 'A' && v <= 'Z')
              || (v >= '0' && v <= '9')
              || (v < 0x80 && safe.indexOf(v) >= 0);
      if (plain) {
        out.append((char) v);
      } else {
        char hi = HEX[v >> 4];
        char lo = HEX[v & 0xf];
        out.append('%')
            .append(lower ? Character.toLowerCase(hi) : hi)
            .append(lower ? Character.toLowerCase(lo) : lo);
      }
    }
    return out.toString();
  }

  private static void base64(byte[] bytes, Set<String> forms) {
    for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      forms.add(enc.encodeToString(bytes));
      Base64.Encoder bare = enc.withoutPadding();
      forms.add(bare.encodeToString(bytes));
      for (int k = 0; k < 3; k++) {
        byte[] shifted = new byte[k + bytes.length];
        System.arraycopy(bytes, 0, shifted, k, bytes.length);
        String encoded = bare.encodeToString(shifted);
        // Characters wholly made of the secret's bits: from ceil(8k/6) to floor(8(k+len)/6).
        int start = (8 * k + 5) / 6;
        int end = 8 * (k + bytes.length) / 6;
        if (end > start) {
          forms.add(encoded.substring(start, end));
        }
      }
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(HEX[(b & 0xff) >> 4]).append(HEX[b & 0xf]);
    }
    return out.toString();
  }
}
