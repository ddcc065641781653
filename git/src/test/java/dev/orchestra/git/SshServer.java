package dev.orchestra.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH server on 127.0.0.1 for tests: {@code sshd -D -e -f CONFIG -p PORT} as a
 * child process with a fresh ed25519 host key, letting in the current user with the keys of an
 * authorized_keys file in {@code dir}. Its git commands run the system's {@code git}.
 */
final class SshServer implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  final Path dir;
  final int port;
  final Path hostPublicKey;
  private final Process process;
  private final List<String> log = new ArrayList<>();

  private SshServer(Path dir, int port, Path hostPublicKey, Process process) {
    this.dir = dir;
    this.port = port;
    this.hostPublicKey = hostPublicKey;
    this.process = process;
  }

  /** Starts the server and waits until it listens; {@code authorized} holds the client keys. */
  static SshServer start(Path dir, Path authorized) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path hostKey = keygen(dir.resolve("host_ed25519"));
    // sshd refuses to start without its privilege separation directory (normally made by systemd).
    Files.createDirectories(Path.of("/run/sshd"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + authorized,
            "PidFile none",
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            ""));
    Process p =
        new ProcessBuilder(
                SSHD.toString(), "-D", "-e", "-f", config.toString(), "-p", String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    SshServer server = new SshServer(dir, port, Path.of(hostKey + ".pub"), p);
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (server.log) {
                    server.log.add(line);
                  }
                  if (line.contains("Server listening on")) {
                    listening.countDown();
                  }
                }
              } catch (IOException e) {
                // the server ended; its log so far is kept
              } finally {
                listening.countDown();
              }
            },
            "sshd-log");
    reader.setDaemon(true);
    reader.start();
    if (!listening.await(30, TimeUnit.SECONDS) || !p.isAlive()) {
      server.close();
      throw new IllegalStateException("sshd did not start: " + server.log());
    }
    return server;
  }

  /** Makes an unencrypted ed25519 key pair at {@code file} and {@code file.pub}. */
  static Path keygen(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ssh-keygen failed: " + out);
    }
    return file;
  }

  /** Hashes the host names of a known_hosts file in place ({@code ssh-keygen -H}). */
  static void hash(Path knownHosts) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-H", "-f", knownHosts.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ssh-keygen -H failed: " + out);
    }
    Files.deleteIfExists(Path.of(knownHosts + ".old"));
  }

  /** A known_hosts line trusting this server. */
  String knownHostsLine() throws IOException {
    return "[127.0.0.1]:" + port + " " + Files.readString(hostPublicKey).trim() + "\n";
  }

  String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
