package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * How a run reaches its remote repository: a token over https, or ssh (JGit's Apache MINA
 * transport) with the private key of {@code workspace.credentials}, or no credentials at all.
 *
 * <p>Over ssh the key is parsed into memory and never written to disk or logged; host keys are
 * checked against one known_hosts file ({@link KnownHosts}), and the user's {@code ~/.ssh/config}
 * and ssh agent are not consulted, so a run authenticates with exactly the configured key. With an
 * ssh URL and no credentials, the default keys of {@code ~/.ssh} ({@code id_ed25519}, {@code
 * id_rsa}, ...) are tried.
 *
 * <p>Thread-safe. Owns the ssh session factory (and its threads) until {@link #close()}.
 */
final class RemoteAccess implements AutoCloseable {
  /** No credentials and no ssh: local paths, {@code file://} and public https. */
  static final RemoteAccess NONE = new RemoteAccess(null, null, null);

  private final CredentialsProvider credentials;
  private final SshdSessionFactory ssh;
  private final KnownHosts knownHosts;

  private RemoteAccess(CredentialsProvider credentials, SshdSessionFactory ssh, KnownHosts hosts) {
    this.credentials = credentials;
    this.ssh = ssh;
    this.knownHosts = hosts;
  }

  /** Sends {@code credentials} (https). */
  static RemoteAccess https(CredentialsProvider credentials) {
    return new RemoteAccess(credentials, null, null);
  }

  /**
   * Ssh with the private key {@code keyText} (OpenSSH or PEM, unencrypted), or with the default
   * keys of {@code ~/.ssh} when it is null.
   *
   * @param credentialName the credential's name, for error messages (the key never appears)
   * @throws OrchestraException when the key cannot be read
   */
  static RemoteAccess ssh(String credentialName, String keyText, Path knownHostsFile) {
    List<KeyPair> keys = keyText == null ? null : keys(credentialName, keyText);
    KnownHosts hosts = new KnownHosts(knownHostsFile);
    File userHome = FS.DETECTED.userHome();
    SshdSessionFactoryBuilder b =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(userHome)
            .setSshDirectory(new File(userHome, ".ssh"))
            .setPreferredAuthentications("publickey")
            // No ~/.ssh/config: it could name other keys or turn off host key checking.
            .setConfigStoreFactory((home, configFile, localUser) -> null)
            .setServerKeyDatabase((home, sshDir) -> hosts)
            .setConnectorFactory(null);
    if (keys != null) {
      b.setDefaultKeysProvider(sshDir -> keys);
    }
    return new RemoteAccess(null, b.build(null), hosts);
  }

  private static List<KeyPair> keys(String name, String text) {
    List<KeyPair> keys = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
      Iterable<KeyPair> read =
          SecurityUtils.loadKeyPairIdentities(
              null, NamedResource.ofName("workspace credentials '" + name + "'"), in, null);
      if (read != null) {
        read.forEach(keys::add);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The cause is left out on purpose: a parser's message may quote the key's text.
      throw new OrchestraException(
          "workspace credentials '"
              + name
              + "' do not hold a readable ssh private key ("
              + e.getClass().getSimpleName()
              + "); store the unencrypted OpenSSH or PEM private key text, e.g. the content of"
              + " a key made by `ssh-keygen -t ed25519 -N ''`");
    }
    if (keys.isEmpty()) {
      throw new OrchestraException(
          "workspace credentials '"
              + name
              + "' hold no ssh private key; store the OpenSSH or PEM private key text (the"
              + " file beginning with '-----BEGIN')");
    }
    return keys;
  }

  /** Configures {@code command} to reach the remote this way. */
  <C extends TransportCommand<C, ?>> C apply(C command) {
    command.setCredentialsProvider(credentials);
    if (ssh != null) {
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport t) {
              t.setSshSessionFactory(ssh);
            }
          });
    }
    return command;
  }

  /** Whether credentials are configured (a token or a key). */
  boolean hasCredentials() {
    return credentials != null || ssh != null;
  }

  /**
   * What to add to a failure's message: why the ssh host was refused, or how to authenticate.
   *
   * @param cause the failure's message
   */
  String hint(String cause) {
    String refused = knownHosts != null ? knownHosts.rejection() : null;
    if (refused != null) {
      return "; " + refused;
    }
    if (ssh != null) {
      String lower = cause == null ? "" : cause.toLowerCase(Locale.ROOT);
      // JGit's words when no key was accepted: "Cannot log in at HOST:PORT", "Auth fail".
      return lower.contains("cannot log in") || lower.contains("auth")
          ? "; the ssh key of workspace 'credentials' was not accepted: add its public key to"
              + " the remote (e.g. a deploy key with write access)"
          : "";
    }
    return credentials == null
        ? "; for a private https repository set workspace 'credentials' to a stored token"
        : "";
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }
}
