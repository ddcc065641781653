package dev.orchestra.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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
  void ignoresValuesShorterThanEightCharacters() {
    SecretMasker m = new SecretMasker();
    assertThat(m.add("abcdefg")).isFalse();
    assertThat(m.mask("abcdefg abcdefg")).isEqualTo("abcdefg abcdefg");
    assertThat(m.add("abcdefgh")).isTrue();
    assertThat(m.mask("abcdefgh abcdefg")).isEqualTo("**** abcdefg");
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

  @Test
  void masksJsonEscapedFormsAsJsonWritersPrintThem() throws Exception {
    String secret = "p@ss\"w\\rd/+=é<&>\t";
    SecretMasker m = new SecretMasker();
    m.add(secret);
    ObjectMapper json = new ObjectMapper();
    String plain = json.writeValueAsString(secret);
    String ascii =
        JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build()
            .writeValueAsString(secret);
    String escaped = plain.substring(1, plain.length() - 1);
    List<String> lines =
        List.of(
            "{\"tool_result\":" + plain + "}",
            "{\"tool_result\":" + ascii + "}",
            "{\"tool_result\":\"" + escaped.replace("/", "\\/") + "\"}",
            "{\"tool_result\":\"" + escaped.replace("é", "\\u00e9") + "\"}",
            "{\"outer\":" + json.writeValueAsString("{\"inner\":" + plain + "}") + "}",
            "{\"go\":\""
                + escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                + "\"}");

    assertThat(m.mask(lines.get(0))).isEqualTo("{\"tool_result\":\"****\"}");
    assertThat(m.mask(lines.get(1))).isEqualTo("{\"tool_result\":\"****\"}");
    assertThat(m.mask(lines.get(2))).isEqualTo("{\"tool_result\":\"****\"}");
    assertThat(m.mask(lines.get(3))).isEqualTo("{\"tool_result\":\"****\"}");
    assertThat(m.mask(lines.get(4))).isEqualTo("{\"outer\":\"{\\\"inner\\\":\\\"****\\\"}\"}");
    assertThat(m.mask(lines.get(5))).isEqualTo("{\"go\":\"****\"}");
  }

  @Test
  void masksShellQuotedHexAndPercentEncodedForms() {
    String secret = "it's a $ecret&key~/x";
    SecretMasker m = new SecretMasker();
    m.add(secret);
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    List<String> forms =
        List.of(
            secret.replace("'", "'\\''"),
            secret.replace("'", "'\"'\"'"),
            "it\\'s\\ a\\ \\$ecret\\&key~/x",
            "it\\'s a $ecret&key~/x",
            HexFormat.of().formatHex(bytes),
            HexFormat.of().withUpperCase().formatHex(bytes),
            URLEncoder.encode(secret, StandardCharsets.UTF_8),
            "it%27s%20a%20%24ecret%26key~%2Fx",
            "it's%20a%20%24ecret%26key~%2Fx",
            "it%27s%20a%20%24ecret%26key~/x",
            "it%27s%20a%20%24ecret%26key%7e%2fx");
    for (String form : forms) {
      assertThat(m.mask("[" + form + "]")).as(form).isEqualTo("[****]");
    }
  }

  @Test
  void masksAValueWrappedOverLinesInAWholeTextKeepingTheLines() {
    String encoded =
        Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(masker.mask("begin\n" + SECRET.substring(0, 9) + "\n" + SECRET.substring(9) + "!"))
        .isEqualTo("begin\n****\n****!");
    String masked = masker.mask("key:\r\n" + encoded + "\r\nend");
    assertThat(masked).startsWith("key:\r\n****\r\n****").endsWith("****\r\nend");
    assertThat(masked.replace("****", "").replaceAll("[\r\n]", "")).isEqualTo("key:end");
  }

  @Test
  void masksWrappedBase64InsideAJsonStringAsAgentStreamsCarryIt() {
    String wrapped =
        Base64.getMimeEncoder(12, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String line = "{\"content\":\"" + wrapped.replace("\n", "\\n") + "\\n\"}";

    String masked = masker.mask(line);

    assertThat(masked).startsWith("{\"content\":\"****").endsWith("\\n\"}");
    for (String piece : wrapped.split("\n")) {
      assertThat(masked).doesNotContain(piece);
    }
  }

  @Test
  void masksAValueAfterABackslashThatReadsLikeALineBreak() {
    SecretMasker m = new SecretMasker();
    m.add("new-token-8Jq2");
    assertThat(m.mask("C:\\new-token-8Jq2\\bin")).isEqualTo("C:****\\bin");
    assertThat(m.mask("\"C:\\\\new-token-8Jq2\"")).isEqualTo("\"C:\\\\****\"");
  }

  @Test
  void masksEveryOneOfManySecretsInOnePass() {
    SecretMasker m = new SecretMasker();
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String secret = "secret-" + i + "-" + Integer.toHexString(i * 7919 + 104729);
      secrets.add(secret);
      m.add(secret);
    }
    StringBuilder text = new StringBuilder();
    for (String secret : secrets) {
      text.append("a ").append(secret).append(" b ");
      text.append(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      text.append('\n');
    }
    assertThat(m.mask(text.toString())).isEqualTo("a **** b ****\n".repeat(20));
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
