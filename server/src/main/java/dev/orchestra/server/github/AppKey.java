package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub App's private key, which signs the short-lived RS256 JSON Web Token the App presents to
 * {@code /app/…} endpoints (GitHub's "Generating a JSON Web Token for a GitHub App"). Reads the PEM
 * GitHub hands out, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), and PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * with the JDK alone. Immutable and thread-safe; neither the key nor a token is ever part of a
 * message or of {@link #toString}.
 */
public final class AppKey {
  /** How far {@code iat} lies in the past, for a GitHub clock slightly behind ours. */
  static final Duration BACKDATE = Duration.ofSeconds(60);

  /** How far {@code exp} lies ahead: GitHub refuses more than 10 minutes. */
  static final Duration LIFETIME = Duration.ofMinutes(9);

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** The DER of AlgorithmIdentifier {rsaEncryption, NULL}, which PKCS#8 puts before the key. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private final String appId;
  private final PrivateKey key;

  private AppKey(String appId, PrivateKey key) {
    this.appId = appId;
    this.key = key;
  }

  /**
   * The key of App {@code appId} (its numeric id or its client id) in {@code pem}.
   *
   * @param credential the name of the credential {@code pem} came from, for messages
   * @throws OrchestraException naming the credential (never its content) when it holds no RSA key
   */
  public static AppKey of(String appId, String pem, String credential) {
    if (appId == null || appId.isBlank() || !appId.strip().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new OrchestraException(
          "the GitHub App id must be the App's number (or client id) from its settings page, e.g."
              + " 123456");
    }
    return new AppKey(appId.strip(), privateKey(pem, credential));
  }

  /** The App's id, as {@code iss} carries it. */
  public String appId() {
    return appId;
  }

  /** A JWT valid from a minute before {@code now} to nine minutes after it. */
  public String jwt(Instant now) {
    ObjectNode claims = Json.MAPPER.createObjectNode();
    claims.put("iat", now.minus(BACKDATE).getEpochSecond());
    claims.put("exp", now.plus(LIFETIME).getEpochSecond());
    if (appId.matches("[0-9]{1,18}")) {
      // The App id is a number; a client id (Iv1.…) is a string.
      claims.put("iss", Long.parseLong(appId));
    } else {
      claims.put("iss", appId);
    }
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String signed = base64Url(header) + "." + base64Url(claims.toString());
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new OrchestraException("cannot sign the GitHub App's JWT: " + e.getMessage(), e);
    }
  }

  /** The RSA key of a PKCS#1 or PKCS#8 PEM text. */
  static PrivateKey privateKey(String pem, String credential) {
    String text = pem == null ? "" : pem;
    if (!text.contains("\n") && text.contains("\\n")) {
      // Stored from a JSON string or an environment variable with its newlines escaped.
      text = text.replace("\\n", "\n");
    }
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw badKey(credential, "holds no PEM block (-----BEGIN RSA PRIVATE KEY-----)");
    }
    String type = m.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2).strip());
    } catch (IllegalArgumentException e) {
      throw badKey(credential, "holds a PEM block that is not base64");
    }
    byte[] pkcs8 =
        switch (type) {
          case "RSA PRIVATE KEY" -> pkcs8(der);
          case "PRIVATE KEY" -> der;
          case "ENCRYPTED PRIVATE KEY" ->
              throw badKey(
                  credential,
                  "holds an encrypted key; decrypt it first: openssl pkey -in key.pem -out"
                      + " plain.pem");
          default -> throw badKey(credential, "holds a " + type + ", not an RSA private key");
        };
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // The exception's message may quote bytes of the key: only its type is kept.
      throw badKey(credential, "holds no readable RSA key (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** PKCS#8's PrivateKeyInfo {version 0, rsaEncryption, OCTET STRING pkcs1} around a PKCS#1 key. */
  static byte[] pkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** A DER length: one byte below 128, else 0x80 + the count of big-endian bytes that follow. */
  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] out = new byte[bytes + 1];
    out[0] = (byte) (0x80 | bytes);
    for (int i = bytes; i >= 1; i--) {
      out[i] = (byte) length;
      length >>>= 8;
    }
    return out;
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static OrchestraException badKey(String credential, String what) {
    return new OrchestraException(
        "credential '"
            + credential
            + "' "
            + what
            + "; store the .pem file GitHub generated for the App: orchestra credentials add "
            + credential
            + " < app.private-key.pem (see docs/github.md)");
  }

  @Override
  public String toString() {
    return "AppKey[app " + appId + "]";
  }
}
