package dev.orchestra.server.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the exact bytes
 * of the body under the webhook's secret. Compared in constant time; any of several secrets may
 * match, so that a secret can be rotated without losing deliveries.
 */
public final class WebhookSignature {
  /** The header GitHub signs deliveries in. */
  public static final String HEADER = "X-Hub-Signature-256";

  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** The header value GitHub would send for {@code body} under {@code secret}. */
  public static String sign(byte[] body, String secret) {
    return PREFIX + HexFormat.of().formatHex(hmac(body, secret));
  }

  /**
   * Whether {@code header} is the signature of {@code body} under one of {@code secrets}. Every
   * secret is tried (no early exit on a match), so the time taken does not tell which one matched.
   */
  public static boolean verify(byte[] body, String header, List<String> secrets) {
    if (header == null || !header.startsWith(PREFIX) || secrets.isEmpty()) {
      return false;
    }
    byte[] sent = header.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String secret : secrets) {
      byte[] expected =
          HexFormat.of().formatHex(hmac(body, secret)).getBytes(StandardCharsets.US_ASCII);
      ok |= MessageDigest.isEqual(expected, sent);
    }
    return ok;
  }

  private static byte[] hmac(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available: " + e, e);
    }
  }
}
