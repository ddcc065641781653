package dev.orchestra.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server playing the parts of GitHub's REST API triggers call, answering like GitHub's
 * documented examples, and recording every request.
 */
final class FakeGitHub implements AutoCloseable {
  static final JsonMapper JSON = new JsonMapper();

  record Request(String method, String path, String authorization, JsonNode body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final Map<String, String> permissions = new ConcurrentHashMap<>();
  final Map<Integer, ObjectNode> pulls = new ConcurrentHashMap<>();
  final Map<Long, ObjectNode> comments = new ConcurrentHashMap<>();

  /** {@code owner/name} → the id of the GitHub App's installation on it. */
  final Map<String, Long> installations = new ConcurrentHashMap<>();

  /** Check runs by id, as created and then patched. */
  final Map<Long, ObjectNode> checkRuns = new ConcurrentHashMap<>();

  /** How many installation tokens were issued; the n-th is {@link #installationToken}(n). */
  final AtomicInteger tokensIssued = new AtomicInteger();

  /** The time an issued token's hour of life starts from. */
  volatile Supplier<Instant> now = Instant::now;

  /** How many of the next status posts are answered 429 with Retry-After: 1. */
  final AtomicInteger rateLimited = new AtomicInteger();

  private final AtomicLong ids = new AtomicLong(1000);
  private final HttpServer server;

  private static final Pattern PERMISSION =
      Pattern.compile("/repos/[^/]+/[^/]+/collaborators/([^/]+)/permission");
  private static final Pattern PULL = Pattern.compile("/repos/[^/]+/[^/]+/pulls/(\\d+)");
  private static final Pattern STATUS = Pattern.compile("/repos/[^/]+/[^/]+/statuses/(\\w+)");
  private static final Pattern COMMENTS =
      Pattern.compile("/repos/[^/]+/[^/]+/issues/(\\d+)/comments");
  private static final Pattern COMMENT =
      Pattern.compile("/repos/[^/]+/[^/]+/issues/comments/(\\d+)");
  private static final Pattern INSTALLATION = Pattern.compile("/repos/([^/]+/[^/]+)/installation");
  private static final Pattern ACCESS_TOKENS =
      Pattern.compile("/app/installations/(\\d+)/access_tokens");
  private static final Pattern CHECK_RUNS = Pattern.compile("/repos/[^/]+/[^/]+/check-runs");
  private static final Pattern CHECK_RUN = Pattern.compile("/repos/[^/]+/[^/]+/check-runs/(\\d+)");

  /** The {@code n}-th installation token issued (from 1). */
  static String installationToken(int n) {
    return "ghs_installation" + n + "TokenQx7";
  }

  FakeGitHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  List<Request> requests(String method, String pathPrefix) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
        .toList();
  }

  private void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    byte[] in = x.getRequestBody().readAllBytes();
    JsonNode body = in.length == 0 ? null : JSON.readTree(in);
    requests.add(new Request(method, path, x.getRequestHeaders().getFirst("Authorization"), body));
    Matcher m;
    if (method.equals("GET") && (m = PERMISSION.matcher(path)).matches()) {
      String p = permissions.get(m.group(1));
      if (p == null) {
        send(x, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("permission", p.equals("maintain") ? "write" : p);
      o.put("role_name", p);
      o.putObject("user").put("login", m.group(1));
      send(x, 200, o.toString());
    } else if (method.equals("GET") && (m = PULL.matcher(path)).matches()) {
      ObjectNode pr = pulls.get(Integer.parseInt(m.group(1)));
      send(x, pr == null ? 404 : 200, pr == null ? "{\"message\":\"Not Found\"}" : pr.toString());
    } else if (method.equals("POST") && STATUS.matcher(path).matches()) {
      if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        x.getResponseHeaders().add("Retry-After", "1");
        send(x, 429, "{\"message\":\"You have exceeded a secondary rate limit\"}");
        return;
      }
      ObjectNode o = ((ObjectNode) body).deepCopy();
      o.put("id", ids.incrementAndGet());
      send(x, 201, o.toString());
    } else if (method.equals("GET") && (m = INSTALLATION.matcher(path)).matches()) {
      Long id = installations.get(m.group(1).toLowerCase(java.util.Locale.ROOT));
      if (id == null || !isJwt(x)) {
        send(x, id == null ? 404 : 401, "{\"message\":\"Not Found\"}");
        return;
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("id", id);
      o.putObject("account").put("login", m.group(1).split("/")[0]);
      o.put("app_id", 123456);
      send(x, 200, o.toString());
    } else if (method.equals("POST") && (m = ACCESS_TOKENS.matcher(path)).matches()) {
      if (!installations.containsValue(Long.parseLong(m.group(1))) || !isJwt(x)) {
        send(x, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
        return;
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("token", installationToken(tokensIssued.incrementAndGet()));
      o.put(
          "expires_at",
          now.get().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString());
      o.putObject("permissions").put("checks", "write");
      o.put("repository_selection", "selected");
      send(x, 201, o.toString());
    } else if (method.equals("POST") && CHECK_RUNS.matcher(path).matches()) {
      ObjectNode o = ((ObjectNode) body).deepCopy();
      o.put("id", ids.incrementAndGet());
      checkRuns.put(o.get("id").asLong(), o);
      send(x, 201, o.toString());
    } else if (method.equals("PATCH") && (m = CHECK_RUN.matcher(path)).matches()) {
      ObjectNode o = checkRuns.get(Long.parseLong(m.group(1)));
      if (o == null) {
        send(x, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      o.setAll((ObjectNode) body);
      send(x, 200, o.toString());
    } else if (method.equals("GET") && COMMENTS.matcher(path).matches()) {
      ArrayNode list = JSON.createArrayNode();
      comments.values().forEach(list::add);
      send(x, 200, list.toString());
    } else if (method.equals("POST") && COMMENTS.matcher(path).matches()) {
      ObjectNode c = JSON.createObjectNode();
      c.put("id", ids.incrementAndGet());
      c.put("body", body.path("body").asText());
      comments.put(c.get("id").asLong(), c);
      send(x, 201, c.toString());
    } else if (method.equals("PATCH") && (m = COMMENT.matcher(path)).matches()) {
      ObjectNode c = comments.get(Long.parseLong(m.group(1)));
      if (c == null) {
        send(x, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      c.put("body", body.path("body").asText());
      send(x, 200, c.toString());
    } else {
      send(x, 404, "{\"message\":\"Not Found\"}");
    }
  }

  /** Whether the request carries a JWT (three base64url parts), as the App's endpoints need. */
  private static boolean isJwt(HttpExchange x) {
    String a = x.getRequestHeaders().getFirst("Authorization");
    return a != null && a.matches("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+");
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    x.getResponseHeaders().add("X-RateLimit-Remaining", "4999");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
