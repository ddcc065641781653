package dev.orchestra.server.api;

/** What the API's routes share. */
public final class Api {
  /** The prefix of every API route. */
  public static final String V1 = "/api/v1";

  private Api() {}

  /** {@code 1 problem}, {@code 2 problems}. */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
