package dev.orchestra.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How token secrets are made and kept: 32 random bytes from {@link SecureRandom} (256 bits, so a
 * plain SHA-256 digest suffices: there is nothing to guess that a slow hash would protect), written
 * as {@code orc_} and URL-safe base64; stores keep the hex SHA-256 of the secret's text and compare
 * digests with {@link MessageDigest#isEqual} (constant time). Thread-safe.
 */
public final class Tokens {
  /** What a token name may be: it is shown in lists and recorded as who decided a gate. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

  /** The prefix of every secret, so that one found in a file or a log is recognisable. */
  public static final String PREFIX = "orc_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  private Tokens() {}

  /** A new secret. */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of {@code secret}'s UTF-8 bytes. */
  public static String digest(String secret) {
    return HexFormat.of().formatHex(digestBytes(secret));
  }

  static byte[] digestBytes(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether two hex digests are equal, in time that does not depend on where they differ. */
  static boolean sameDigest(byte[] presented, String storedHex) {
    byte[] stored;
    try {
      stored = HexFormat.of().parseHex(storedHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(presented, stored);
  }

  /** Whether {@code name} may name a token. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
