package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestra.OrchestraException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The App's JWT: signed with the key of either PEM form GitHub users meet, verifiable with the
 * public key, with GitHub's claims; a bad key is refused without quoting it.
 */
class AppKeyTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  static KeyPair pair;

  @BeforeAll
  static void generate() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    pair = g.generateKeyPair();
  }

  /** The key as GitHub's "Generate a private key" gives it: PKCS#1, 64 characters a line. */
  static String pkcs1Pem(KeyPair pair) {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    // The JDK's PKCS#8 of a 2048-bit key: 26 bytes of wrapper, the last 4 the OCTET STRING's tag
    // and length; what follows is the PKCS#1 RSAPrivateKey.
    assertThat(pkcs8[22]).isEqualTo((byte) 0x04);
    int length = ((pkcs8[24] & 0xff) << 8) | (pkcs8[25] & 0xff);
    assertThat(length).isEqualTo(pkcs8.length - 26);
    return pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));
  }

  static String pkcs8Pem(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The claims of {@code jwt} once its RS256 signature verifies with {@code key}. */
  static JsonNode verifiedClaims(String jwt, PublicKey key) throws Exception {
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(key);
    s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(s.verify(Base64.getUrlDecoder().decode(parts[2]))).as("signature").isTrue();
    JsonMapper json = new JsonMapper();
    JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("typ").asText()).isEqualTo("JWT");
    return json.readTree(Base64.getUrlDecoder().decode(parts[1]));
  }

  @Test
  void signsAJwtWithGitHubsClaimsFromAPkcs1Key() throws Exception {
    AppKey key = AppKey.of("123456", pkcs1Pem(pair), "gh-app-key");

    JsonNode claims = verifiedClaims(key.jwt(NOW), pair.getPublic());

    assertThat(claims.path("iss").isNumber()).isTrue();
    assertThat(claims.path("iss").asLong()).isEqualTo(123456);
    assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 9 * 60);
  }

  @Test
  void readsPkcs8AndTheWrappedPkcs1AsTheSameKey() throws Exception {
    AppKey fromPkcs8 = AppKey.of("Iv1.abc123", pkcs8Pem(pair), "k");

    assertThat(verifiedClaims(fromPkcs8.jwt(NOW), pair.getPublic()).path("iss").asText())
        .isEqualTo("Iv1.abc123");
    assertThat(AppKey.privateKey(pkcs1Pem(pair), "k").getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void readsAPemWhoseNewlinesWereEscaped() throws Exception {
    String escaped = pkcs1Pem(pair).replace("\n", "\\n");

    assertThat(verifiedClaims(AppKey.of("7", escaped, "k").jwt(NOW), pair.getPublic())).isNotNull();
  }

  @Test
  void refusesAKeyItCannotReadWithoutQuotingIt() {
    String pem = pkcs1Pem(pair);
    String broken = pem.replace(pem.substring(40, 140), "A".repeat(100));
    String line = pem.split("\n")[3];

    for (String bad :
        new String[] {
          line, broken, "-----BEGIN CERTIFICATE-----\n" + line + "\n-----END CERTIFICATE-----"
        }) {
      assertThatThrownBy(() -> AppKey.of("1", bad, "gh-app-key"))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("credential 'gh-app-key'")
          .hasMessageContaining("orchestra credentials add gh-app-key < app.private-key.pem")
          .message()
          .doesNotContain(line);
    }
  }

  @Test
  void refusesAnAppIdThatIsNoId() {
    assertThatThrownBy(() -> AppKey.of("my app", pkcs8Pem(pair), "k"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("123456");
    assertThat(AppKey.of("42", pkcs8Pem(pair), "k").toString()).isEqualTo("AppKey[app 42]");
  }
}
