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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
