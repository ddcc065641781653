package dev.orchestra.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: Debian's PostgreSQL binaries ({@code
 * /usr/lib/postgresql/VERSION/bin}, the {@code postgresql} package that {@code bin/test} installs)
 * run {@code initdb} and {@code pg_ctl} in a temporary directory, as a user that is not root (root
 * runs them through {@code runuser -u postgres}), listening on 127.0.0.1 on a free port with
 * password authentication (scram-sha-256) for one superuser. {@link #close()} stops the server and
 * deletes the directory.
 *
 * <p>Each test gets a database of its own with {@link #createDatabase()}. Thread-safe.
 */
public final class PostgresCluster implements AutoCloseable {
  /** The superuser the cluster is made with. */
  public static final String USER = "orchestra";

  private static final long TIMEOUT_SECONDS = 120;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean asPostgres;

  private PostgresCluster(Path bin, Path dir, int port, String password, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.asPostgres = asPostgres;
  }

  /** The directory of the newest PostgreSQL binaries installed, or empty when there are none. */
  public static java.util.Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(PostgresCluster::version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int version(Path bin) {
    String name = bin.getParent().getFileName().toString();
    return name.matches("[0-9]+") ? Integer.parseInt(name) : 0;
  }

  /** Starts a cluster with the server's default settings. */
  public static PostgresCluster start() {
    return start(Map.of());
  }

  /**
   * Starts a cluster.
   *
   * @param settings server settings ({@code -c NAME=VALUE}), e.g. {@code fsync=off} for tests that
   *     need no durability
   * @throws IllegalStateException when PostgreSQL is not installed or does not start, with its log
   */
  public static PostgresCluster start(Map<String, String> settings) {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb);"
                            + " install it with `apt-get install postgresql` (bin/test does)"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir;
    try {
      dir = Files.createTempDirectory("orchestra-pg-");
      String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
      Files.writeString(dir.resolve("pwfile"), password + "\n");
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir, "chown");
      }
      PostgresCluster cluster = new PostgresCluster(bin, dir, 0, password, root);
      cluster.postgres(
          "initdb",
          List.of(
              "-D",
              dir.resolve("data").toString(),
              "-U",
              USER,
              "--auth=scram-sha-256",
              "--pwfile=" + dir.resolve("pwfile"),
              "-E",
              "UTF8",
              "--locale=C.UTF-8"));
      IllegalStateException last = null;
      for (int tries = 0; tries < 3; tries++) {
        int port = freePort();
        PostgresCluster started = new PostgresCluster(bin, dir, port, password, root);
        try {
          started.startServer(settings);
          return started;
        } catch (IllegalStateException e) {
          // Most likely another process took the port between our look and the server's bind.
          last = e;
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a PostgreSQL cluster", e);
    }
  }

  private void startServer(Map<String, String> settings) {
    StringBuilder options = new StringBuilder();
    options.append("-p ").append(port).append(" -c listen_addresses=127.0.0.1");
    options.append(" -k ").append(dir);
    settings.forEach((k, v) -> options.append(" -c ").append(k).append('=').append(v));
    postgres(
        "pg_ctl",
        List.of(
            "-D",
            dir.resolve("data").toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            options.toString(),
            "-w",
            "-t",
            "90",
            "start"));
  }

  private void postgres(String program, List<String> args) {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(args);
    run(command, dir, program);
  }

  private static void run(List<String> command, Path dir, String what) {
    try {
      Path out = Files.createTempFile(dir, what + "-", ".out");
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(what + " did not end in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        String log = Files.readString(out, StandardCharsets.UTF_8);
        Path server = dir.resolve("server.log");
        if (Files.exists(server)) {
          log += "\nserver.log:\n" + Files.readString(server, StandardCharsets.UTF_8);
        }
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The superuser's password. */
  public String password() {
    return password;
  }

  /** The JDBC URL of database {@code name} (without user or password). */
  public String url(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** Creates a new, empty database and returns its JDBC URL. */
  public String createDatabase() {
    String name = "orchestra_test_" + DATABASES.incrementAndGet();
    List<String> command = new ArrayList<>();
    command.add(bin.resolve("createdb").toString());
    command.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, name));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", password);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("createdb " + name + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run createdb", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating database " + name, e);
    }
    return url(name);
  }

  /** Stops the server (fast shutdown) and deletes its directory. */
  @Override
  public void close() {
    try {
      if (port != 0) {
        postgres(
            "pg_ctl", List.of("-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
      }
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
