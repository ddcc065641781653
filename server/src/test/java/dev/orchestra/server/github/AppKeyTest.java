package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.OrchestraException;
import java.security.KeyPair;
import java.time.Instant;
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
  static void generate() {
    pair = TestAppKeys.generate();
  }

  @Test
  void signsAJwtWithGitHubsClaimsFromAPkcs1Key() throws Exception {
    AppKey key = AppKey.of("123456", TestAppKeys.pkcs1Pem(pair), "gh-app-key");

    JsonNode claims = TestAppKeys.verifiedClaims(key.jwt(NOW), pair.getPublic());

    assertThat(claims.path("iss").isNumber()).isTrue();
    assertThat(claims.path("iss").asLong()).isEqualTo(123456);
    assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 9 * 60);
  }

  @Test
  void readsPkcs8AndTheWrappedPkcs1AsTheSameKey() throws Exception {
    AppKey fromPkcs8 = AppKey.of("Iv1.abc123", TestAppKeys.pkcs8Pem(pair), "k");

    assertThat(
            TestAppKeys.verifiedClaims(fromPkcs8.jwt(NOW), pair.getPublic()).path("iss").asText())
        .isEqualTo("Iv1.abc123");
    assertThat(AppKey.privateKey(TestAppKeys.pkcs1Pem(pair), "k").getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void readsAPemWhoseNewlinesWereEscaped() throws Exception {
    String escaped = TestAppKeys.pkcs1Pem(pair).replace("\n", "\\n");

    assertThat(TestAppKeys.verifiedClaims(AppKey.of("7", escaped, "k").jwt(NOW), pair.getPublic()))
        .isNotNull();
  }

  @Test
  void refusesAKeyItCannotReadWithoutQuotingIt() {
    String pem = TestAppKeys.pkcs1Pem(pair);
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
    assertThatThrownBy(() -> AppKey.of("my app", TestAppKeys.pkcs8Pem(pair), "k"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("123456");
    assertThat(AppKey.of("42", TestAppKeys.pkcs8Pem(pair), "k").toString())
        .isEqualTo("AppKey[app 42]");
  }
}
