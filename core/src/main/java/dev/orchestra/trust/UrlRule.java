package dev.orchestra.trust;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which hosts a {@code context: url} may reach: under {@link Trust#UNTRUSTED} only public ones, so
 * that a workflow cannot read what the machine it runs on can reach and the internet cannot
 * (loopback services, a cloud's metadata endpoint at 169.254.169.254, the private network). The
 * host's name is resolved and every address it has is checked; a redirect's target is checked the
 * same way before it is followed (by the caller). The JVM caches a name's addresses (30 s by
 * default), so the connection that follows uses the addresses checked.
 *
 * <p>Refused: unspecified ({@code 0.0.0.0}, {@code ::}, {@code 0.0.0.0/8}), loopback ({@code
 * 127.0.0.0/8}, {@code ::1}), link-local ({@code 169.254.0.0/16}, {@code fe80::/10}), private
 * ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7}, {@code fec0::/10}),
 * shared address space ({@code 100.64.0.0/10}), multicast, and {@code 240.0.0.0/4} with the
 * broadcast address; IPv4 addresses inside IPv6 (mapped, compatible, NAT64 {@code 64:ff9b::/96})
 * are checked as IPv4. Stateless and thread-safe; resolving blocks on DNS.
 */
public final class UrlRule {
  private UrlRule() {}

  /**
   * Why {@code uri} may not be fetched under {@code trust}, or empty when it may.
   *
   * @param allowed hosts (names or addresses, as URLs write them) that may be reached whatever
   *     their addresses, e.g. a company's documentation server on its private network
   * @throws UnknownHostException when its host has no address (the fetch would fail too)
   */
  public static Optional<String> refused(URI uri, Trust trust, Set<String> allowed)
      throws UnknownHostException {
    if (trust.isLocal()) {
      return Optional.empty();
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.of("names no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (allowed.contains(host.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    for (InetAddress address : InetAddress.getAllByName(host)) {
      String kind = kind(address);
      if (kind != null) {
        return Optional.of(
            "reaches "
                + address.getHostAddress()
                + ", "
                + kind
                + "; an untrusted workflow may fetch only public addresses ("
                + Trust.HOW_TO_TRUST
                + ")");
      }
    }
    return Optional.empty();
  }

  /** What kind of non-public address {@code a} is, or {@code null} for a public one. */
  static String kind(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      Inet4Address inner = embeddedV4(b);
      if (inner != null) {
        return kind(inner);
      }
      if ((b[0] & 0xFE) == 0xFC) {
        return "a private address (fc00::/7)";
      }
    }
    if (a.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    if (a.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address (a cloud's metadata service lives there)";
    }
    if (a.isSiteLocalAddress()) {
      return "a private network address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      if (first == 0) {
        return "the unspecified address (0.0.0.0/8)";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "a shared address (100.64.0.0/10, carrier-grade NAT)";
      }
      if (first >= 240) {
        return "a reserved or broadcast address (240.0.0.0/4)";
      }
    }
    return null;
  }

  /**
   * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}), or NAT64 ({@code
   * 64:ff9b::a.b.c.d}) IPv6 address, or {@code null}; the JDK already gives mapped ones ({@code
   * ::ffff:a.b.c.d}) as IPv4.
   */
  private static Inet4Address embeddedV4(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 12; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    boolean allZero =
        zeroPrefix && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
    if ((!zeroPrefix && !nat64) || allZero) {
      return null; // :: and ::1 are IPv6's own unspecified and loopback addresses
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
