package dev.orchestra.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Server host keys an ssh remote must present: the entries of one OpenSSH {@code known_hosts} file
 * (plain or hashed host names, {@code [host]:port} for other ports). A host that is not listed, or
 * that presents another key, is refused; nothing is ever added to the file, and the user's ssh
 * config cannot relax this (no {@code StrictHostKeyChecking no}).
 *
 * <p>Thread-safe. The file is read at each connection, so a host the user trusts meanwhile is
 * accepted on the next attempt. {@link #rejection()} tells why the last host was refused.
 */
final class KnownHosts implements ServerKeyDatabase {
  private final Path file;
  private final AtomicReference<String> rejection = new AtomicReference<>();

  KnownHosts(Path file) {
    this.file = file;
  }

  /** The known_hosts file ({@code ~/.ssh/known_hosts} unless configured otherwise). */
  Path file() {
    return file;
  }

  /** Why the last refused host was refused (with how to trust it), or null when none was. */
  String rejection() {
    return rejection.get();
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    List<PublicKey> keys = new ArrayList<>();
    for (KnownHostEntry e : entries(connectAddress, remoteAddress)) {
      PublicKey k = key(e);
      if (k != null) {
        keys.add(k);
      }
    }
    return keys;
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    List<PublicKey> known = lookup(connectAddress, remoteAddress, config);
    for (PublicKey k : known) {
      if (KeyUtils.compareKeys(k, serverKey)) {
        rejection.set(null);
        return true;
      }
    }
    String host = host(connectAddress);
    int port = remoteAddress.getPort();
    String name = port == 22 ? host : "[" + host + "]:" + port;
    String fingerprint = KeyUtils.getFingerPrint(serverKey);
    rejection.set(
        known.isEmpty()
            ? "ssh host "
                + name
                + " is not in "
                + file
                + " (its key is "
                + fingerprint
                + "); after checking that fingerprint with the server's owner, trust it with"
                + " `ssh-keyscan -p "
                + port
                + " "
                + host
                + " >> "
                + file
                + "`"
            : "ssh host "
                + name
                + " presented key "
                + fingerprint
                + ", which is not the key "
                + file
                + " lists for it; the host key changed or someone is intercepting the"
                + " connection: check with the server's owner before replacing its line in "
                + file);
    return false;
  }

  private List<KnownHostEntry> entries(String connectAddress, InetSocketAddress remote) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<KnownHostEntry> all;
    try {
      all = KnownHostEntry.readKnownHostEntries(file);
    } catch (IOException e) {
      rejection.set("cannot read " + file + ": " + e.getMessage());
      return List.of();
    }
    String host = host(connectAddress);
    int port = remote.getPort();
    String ip = remote.getAddress() != null ? remote.getAddress().getHostAddress() : null;
    List<KnownHostEntry> matching = new ArrayList<>();
    for (KnownHostEntry e : all) {
      // Revoked entries (@revoked) and certificate authorities (@cert-authority) are not host keys.
      if (e.getMarker() == null
          && e.getKeyEntry() != null
          && (e.isHostMatch(host, port) || (ip != null && e.isHostMatch(ip, port)))) {
        matching.add(e);
      }
    }
    return matching;
  }

  private static PublicKey key(KnownHostEntry e) {
    try {
      return e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
    } catch (IOException | GeneralSecurityException ex) {
      return null; // a line of a key type this JVM cannot read matches nothing
    }
  }

  /** The host of {@code [host]:port}, {@code host:port} or {@code host}. */
  static String host(String connectAddress) {
    if (connectAddress.startsWith("[")) {
      int end = connectAddress.indexOf(']');
      return end > 0 ? connectAddress.substring(1, end) : connectAddress;
    }
    int colon = connectAddress.lastIndexOf(':');
    return colon > 0 && connectAddress.indexOf(':') == colon
        ? connectAddress.substring(0, colon)
        : connectAddress;
  }
}
