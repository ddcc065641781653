package dev.orchestra.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Private git repositories over smart HTTP on 127.0.0.1, as a git host serves them: the system's
 * {@code git http-backend} (CGI) behind the JDK's HTTP server, which answers 401 with a Basic
 * challenge unless the request carries the one user and password it was given. Serves the bare
 * repositories under one directory at {@code /git/NAME.git}. Records each request's user (or {@code
 * -} for none, {@code ?} for wrong credentials) so a test can tell what a client sent.
 *
 * <p>Thread-safe. Each request runs one {@code git http-backend} process.
 */
public final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final Path root;
  private final String expected;
  private final List<String> users = new CopyOnWriteArrayList<>();

  private GitHttpServer(Path root, String user, String password) throws IOException {
    this.root = root;
    this.expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.createContext("/git/", this::handle);
    server.start();
  }

  /** Serves the bare repositories under {@code root} to {@code user} with {@code password}. */
  public static GitHttpServer start(Path root, String user, String password) {
    try {
      return new GitHttpServer(root, user, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of the repository {@code root/NAME.git}, with no credentials in it. */
  public URI url(String name) {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + name + ".git");
  }

  /** Who each request was from, in order: the user, {@code -} (none) or {@code ?} (refused). */
  public List<String> users() {
    return List.copyOf(users);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.equals(expected)) {
        users.add(auth == null ? "-" : "?");
        x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        x.sendResponseHeaders(401, -1);
        return;
      }
      String decoded =
          new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
      String user = decoded.substring(0, decoded.indexOf(':'));
      users.add(user);
      cgi(x, user);
    }
  }

  private void cgi(HttpExchange x, String user) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
    Map<String, String> env = pb.environment();
    // Nothing of the test JVM's environment (credentials among it) reaches the CGI.
    String path = System.getenv("PATH");
    env.clear();
    env.put("PATH", path == null ? "/usr/bin:/bin" : path);
    env.put("HOME", root.toString());
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("PATH_INFO", x.getRequestURI().getPath().substring("/git".length()));
    String query = x.getRequestURI().getRawQuery();
    env.put("QUERY_STRING", query == null ? "" : query);
    env.put("REQUEST_METHOD", x.getRequestMethod());
    env.put("REMOTE_USER", user);
    env.put("REMOTE_ADDR", "127.0.0.1");
    env.put("CONTENT_LENGTH", String.valueOf(body.length));
    header(x, "Content-Type").ifPresent(v -> env.put("CONTENT_TYPE", v));
    header(x, "Content-Encoding").ifPresent(v -> env.put("HTTP_CONTENT_ENCODING", v));
    header(x, "Git-Protocol").ifPresent(v -> env.put("GIT_PROTOCOL", v));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream in = p.getOutputStream()) {
                in.write(body);
              } catch (IOException e) {
                // The backend stopped reading: its answer says why.
              }
            });
    writer.start();
    byte[] out;
    try (InputStream stdout = p.getInputStream()) {
      out = stdout.readAllBytes();
    }
    try {
      writer.join();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    answer(x, out);
  }

  private static Optional<String> header(HttpExchange x, String name) {
    return Optional.ofNullable(x.getRequestHeaders().getFirst(name));
  }

  /** Sends a CGI answer: header lines, a blank line, the body; {@code Status:} sets the code. */
  private static void answer(HttpExchange x, byte[] cgi) throws IOException {
    int end = -1;
    int skip = 0;
    for (int i = 0; i + 1 < cgi.length; i++) {
      if (cgi[i] == '\n' && cgi[i + 1] == '\n') {
        end = i;
        skip = 2;
        break;
      }
      if (i + 3 < cgi.length
          && cgi[i] == '\r'
          && cgi[i + 1] == '\n'
          && cgi[i + 2] == '\r'
          && cgi[i + 3] == '\n') {
        end = i;
        skip = 4;
        break;
      }
    }
    if (end < 0) {
      x.sendResponseHeaders(502, -1);
      return;
    }
    int status = 200;
    for (String line : new String(cgi, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon < 1) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        x.getResponseHeaders().add(name, value);
      }
    }
    byte[] body = Arrays.copyOfRange(cgi, end + skip, cgi.length);
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      x.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
