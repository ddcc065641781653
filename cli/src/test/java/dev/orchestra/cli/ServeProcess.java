package dev.orchestra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code orchestra serve --port 0} from the real jar ({@code cli/target/orchestra.jar}, fresh at
 * failsafe's time) in a child JVM, with a fresh {@code ORCHESTRA_HOME}, as a new user starts it:
 * the test reads the URL and the first token it prints, makes more tokens with {@code orchestra
 * tokens create}, and calls the API with a real HTTP client. Everything is awaited (the printed
 * lines, the end of a run on its event stream), never timed. {@link #close()} stops it with
 * SIGTERM, as Ctrl-C would.
 */
final class ServeProcess implements AutoCloseable {
  /** The longest a test waits for the server or a run; only a broken build reaches it. */
  static final Duration LIMIT = Duration.ofMinutes(3);

  private static final Pattern LISTENING =
      Pattern.compile("orchestra serve: listening on (http://\\S+/)");
  private static final Pattern FIRST_TOKEN =
      Pattern.compile("a first token, shown once \\(scope admin\\): (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path jar;
  private final Path home;
  private final Process process;
  private final Path stderr;
  private final List<String> printed = new ArrayList<>();
  private boolean outputEnded;
  private final URI url;
  private final String adminToken;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(LIMIT).build();

  private ServeProcess(Path jar, Path home, Process process, Path stderr)
      throws IOException, InterruptedException {
    this.jar = jar;
    this.home = home;
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::read, "orchestra-serve-stdout");
    reader.setDaemon(true);
    reader.start();
    // "listening on URL", the API's URL, then (on a first start) the admin token.
    List<String> lines = awaitLines(3);
    this.url = URI.create(find(LISTENING, lines));
    this.adminToken = find(FIRST_TOKEN, lines);
  }

  /**
   * Starts the server with {@code home} as its Orchestra home and {@code work} as its directory.
   */
  static ServeProcess start(Path home, Path work) throws IOException, InterruptedException {
    Path jar = Path.of("target", "orchestra.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no " + jar + ": the IT runs after package (./mvnw -pl cli verify)");
    }
    Files.createDirectories(home);
    Files.createDirectories(work);
    Path err = work.resolve("serve.err");
    ProcessBuilder pb =
        new ProcessBuilder(java(), "-jar", jar.toString(), "serve", "--port", "0")
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(err.toFile());
    pb.environment().put("ORCHESTRA_HOME", home.toString());
    return new ServeProcess(jar, home, pb.start(), err);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Reads the server's stdout as it comes, for {@link #awaitLines}. */
  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (printed) {
          printed.add(line);
          printed.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process was stopped while its output was read: its output ends here.
    } finally {
      synchronized (printed) {
        outputEnded = true;
        printed.notifyAll();
      }
    }
  }

  /** Waits until the server printed {@code n} lines (it prints its first ones when it listens). */
  private List<String> awaitLines(int n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    synchronized (printed) {
      while (printed.size() < n) {
        long left = deadline - System.nanoTime();
        if (outputEnded || left <= 0) {
          throw new AssertionError(
              "orchestra serve printed "
                  + printed
                  + (outputEnded ? " and ended" : " in " + LIMIT.toSeconds() + " s")
                  + "; stderr: "
                  + Files.readString(stderr));
        }
        TimeUnit.NANOSECONDS.timedWait(printed, left);
      }
      return List.copyOf(printed);
    }
  }

  private String find(Pattern p, List<String> lines) throws IOException {
    for (String line : lines) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError(
        "orchestra serve did not print /" + p + "/: " + lines + "; stderr: " + log());
  }

  /** The base URL it printed, e.g. {@code http://127.0.0.1:41234/}. */
  URI url() {
    return url;
  }

  /** The admin token it printed on its first start. */
  String adminToken() {
    return adminToken;
  }

  /** What it wrote to stderr so far (its log). */
  String log() throws IOException {
    return Files.readString(stderr);
  }

  /** {@code orchestra tokens create NAME --scope SCOPE} on the same home: the new secret. */
  String createToken(String name, String scope) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                java(), "-jar", jar.toString(), "tokens", "create", name, "--scope", scope)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("ORCHESTRA_HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("orchestra tokens create failed: " + out + err);
    }
    return out.lines().findFirst().orElseThrow().strip();
  }

  /** An API call with the admin token; a body is sent as JSON. Answers the JSON, or null. */
  JsonNode api(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url.resolve(path))
            .timeout(LIMIT)
            .header("Authorization", "Bearer " + adminToken)
            .header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new AssertionError(
          method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  /** Stores a workflow under {@code name} (PUT /api/v1/workflows/NAME). */
  void storeWorkflow(String name, String yaml) throws IOException, InterruptedException {
    api("PUT", "api/v1/workflows/" + name, Map.of("yaml", yaml));
  }

  /** Waits for the run's {@code run_finished} on its event stream. */
  void awaitRunFinished(String runId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url.resolve("api/v1/runs/" + runId + "/events"))
            .header("Authorization", "Bearer " + adminToken)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<String> seen = new ArrayList<>();
    CompletableFuture<Void> finished =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (line.startsWith("event: ")) {
                    seen.add(line.substring(7));
                    if (line.equals("event: run_finished")) {
                      return;
                    }
                  }
                }
                throw new AssertionError("the event stream of " + runId + " ended: " + seen);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      finished.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("reading the events of " + runId + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("run " + runId + " did not finish in " + LIMIT + ": " + seen, e);
    } finally {
      r.body().close();
    }
  }

  /** Stops the server as Ctrl-C would, and kills it if it does not end in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
