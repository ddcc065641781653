package dev.orchestra.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretMaskerTest {
  private static final String SECRET = "s3cr3t/Value+with space&more=";

  private final SecretMasker masker = new SecretMasker();

  SecretMaskerTest() {
    masker.add(SECRET);
  }

  @Test
  void masksPlainValue() {
    assertThat(masker.mask("token: " + SECRET + ".")).isEqualTo("token: ****.");
  }

  @Test
  void masksUrlEncodedForms() {
    String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    assertThat(masker.mask("q=" + form)).isEqualTo("q=****");
    assertThat(masker.mask("q=" + form.replace("+", "%20"))).isEqualTo("q=****");
    assertThat(
            masker.mask(
                "q="
                    + form.replace("%2F", "%2f")
                        .replace("%2B", "%2b")
                        .replace("%26", "%26")
                        .replace("%3D", "%3d")))
        .isEqualTo("q=****");
  }

  @Test
  void masksBase64OfTheValueInBothAlphabetsWithAndWithoutPadding() {
    byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder enc :
        List.of(
            Base64.getEncoder(),
            Base64.getUrlEncoder(),
            Base64.getEncoder().withoutPadding(),
            Base64.getUrlEncoder().withoutPadding())) {
      String encoded = enc.encodeToString(bytes);
      assertThat(masker.mask("[" + encoded + "]")).isEqualTo("[****]");
    }
  }

  @Test
  void masksBase64OfLongerTextInEveryAlignment() {
    for (String prefix : List.of("", "a", "ab", "abc:")) {
      String text = prefix + "Bearer " + SECRET + " trailing";
      for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String encoded = enc.encodeToString(text.getBytes(StandardCharsets.UTF_8));
        String masked = masker.mask(encoded);
        assertThat(masked).contains("****");
        // What is left of the secret's part is at most the two boundary characters each side.
        assertThat(decodable(masked, SECRET)).as(prefix).isFalse();
      }
    }
  }

  @Test
  void masksSecretSplitAcrossTwoLines() {
    SecretMasker.Lines lines = masker.lines();
    List<String> out = new ArrayList<>();
    out.addAll(lines.accept("first half: " + SECRET.substring(0, 10)));
    out.addAll(lines.accept(SECRET.substring(10) + " end"));
    out.addAll(lines.accept("plain line"));
    out.addAll(lines.flush());

    assertThat(out).containsExactly("first half: ****", "**** end", "plain line");
  }

  @Test
  void masksWrappedBase64() {
    String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    SecretMasker.Lines lines = masker.lines();
    List<String> out = new ArrayList<>();
    out.addAll(lines.accept(encoded.substring(0, 20)));
    out.addAll(lines.accept(encoded.substring(20)));
    out.addAll(lines.flush());

    assertThat(String.join("\n", out)).doesNotContain(encoded.substring(0, 20));
    assertThat(out).containsExactly("****", "****");
  }

  @Test
  void masksBase64WrappedOverManyLines() {
    String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    SecretMasker.Lines lines = masker.lines();
    List<String> out = new ArrayList<>();
    out.addAll(lines.accept("before"));
    for (int i = 0; i < encoded.length(); i += 8) {
      out.addAll(lines.accept(encoded.substring(i, Math.min(encoded.length(), i + 8))));
    }
    out.addAll(lines.accept("after"));
    out.addAll(lines.flush());

    assertThat(out).hasSize(2 + (encoded.length() + 7) / 8).startsWith("before").endsWith("after");
    assertThat(out.subList(1, out.size() - 1)).containsOnly("****");
  }

  @Test
  void emitsOrdinaryLinesAtOnce() {
    SecretMasker.Lines lines = masker.lines();
    assertThat(lines.accept("hello")).containsExactly("hello");
    assertThat(lines.accept("world s3")).isEmpty(); // could be the start of the secret
    assertThat(lines.accept("nope")).containsExactly("world s3", "nope");
  }

  @Test
  void ignoresValuesShorterThanFourCharacters() {
    SecretMasker m = new SecretMasker();
    assertThat(m.add("abc")).isFalse();
    assertThat(m.mask("abc abc")).isEqualTo("abc abc");
    assertThat(m.add("abcd")).isTrue();
    assertThat(m.mask("abcd abc")).isEqualTo("**** abc");
  }

  @Test
  void masksFilesInPlace(@TempDir Path dir) throws Exception {
    Path nested = Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(nested.resolve("out.txt"), "x " + SECRET + " y\n");
    Files.writeString(dir.resolve("clean.txt"), "nothing here");

    masker.maskFiles(dir, 1 << 20);

    assertThat(Files.readString(nested.resolve("out.txt"))).isEqualTo("x **** y\n");
    assertThat(Files.readString(dir.resolve("clean.txt"))).isEqualTo("nothing here");
  }

  /** Whether the secret can be read back from what the masked base64 still shows. */
  private static boolean decodable(String maskedBase64, String secret) {
    for (String piece : maskedBase64.split("\\*\\*\\*\\*")) {
      for (Base64.Decoder dec : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
        for (int cut = 0; cut < 4 && cut < piece.length(); cut++) {
          String p = piece.substring(cut).replace("=", "");
          p = p.substring(0, p.length() - p.length() % 4);
          try {
            if (new String(dec.decode(p), StandardCharsets.UTF_8).contains(secret)) {
              return true;
            }
          } catch (IllegalArgumentException e) {
            // not base64 in this alphabet
          }
        }
      }
    }
    return false;
  }
}
