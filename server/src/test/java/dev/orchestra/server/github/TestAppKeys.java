package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** GitHub App keys for tests: a fresh RSA pair, its PEM forms, and the JWT check GitHub makes. */
public final class TestAppKeys {
  private TestAppKeys() {}

  /** A new 2048-bit RSA pair, as GitHub generates for an App. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as GitHub's "Generate a private key" gives it: PKCS#1, 64 characters a line. */
  public static String pkcs1Pem(KeyPair pair) {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    // The JDK's PKCS#8 of a 2048-bit key: 26 bytes of wrapper, the last 4 the OCTET STRING's tag
    // and length; what follows is the PKCS#1 RSAPrivateKey.
    assertThat(pkcs8[22]).isEqualTo((byte) 0x04);
    int length = ((pkcs8[24] & 0xff) << 8) | (pkcs8[25] & 0xff);
    assertThat(length).isEqualTo(pkcs8.length - 26);
    return pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));
  }

  public static String pkcs8Pem(KeyPair pair) {
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
  public static JsonNode verifiedClaims(String jwt, PublicKey key) throws Exception {
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
}
