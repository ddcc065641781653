package dev.orchestra.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model endpoint for tests: the real agent CLIs talk to it instead of a provider. Each {@link
 * Protocol} answers the requests it handles with the next {@link Turn} scripted for it (FIFO), or
 * its {@link Protocol#defaultTurn} when none is left. {@code HEAD /} (a connectivity probe) gets
 * 200; anything unknown gets 404. Everything received is recorded in order.
 *
 * <pre>{@code
 * try (var server = ScriptedModelServer.start(new AnthropicMessages())) {
 *   server.script("anthropic", new Turn.WriteFile("hello.txt", "hi"), new Turn.Text("done"));
 *   // run claude with ANTHROPIC_BASE_URL=server.baseUrl()
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ScriptedModelServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final List<Protocol> protocols;
  private final Map<String, Deque<Turn>> scripts = new HashMap<>();
  private final List<Entry> received = new ArrayList<>();
  private final String host;

  private record Entry(String protocol, RecordedRequest request) {}

  private ScriptedModelServer(InetAddress address, List<Protocol> protocols) throws IOException {
    this.protocols = List.copyOf(protocols);
    for (Protocol p : protocols) {
      scripts.put(p.name(), new ArrayDeque<>());
    }
    this.server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "scripted-model");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
    this.host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
  }

  /** Starts a server on {@code 127.0.0.1}, on a free port. */
  public static ScriptedModelServer start(Protocol... protocols) {
    return start(InetAddress.getLoopbackAddress(), protocols);
  }

  /**
   * Starts a server on {@code address} (e.g. {@code 0.0.0.0}, for CLIs in containers), on a free
   * port.
   */
  public static ScriptedModelServer start(InetAddress address, Protocol... protocols) {
    try {
      return new ScriptedModelServer(address, Arrays.asList(protocols));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted model server", e);
    }
  }

  /** {@code http://HOST:PORT}, without a trailing slash. */
  public String baseUrl() {
    return "http://" + host + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Appends turns to the script of the protocol named {@code protocol}. */
  public void script(String protocol, Turn... turns) {
    synchronized (scripts) {
      Deque<Turn> queue = scripts.get(protocol);
      if (queue == null) {
        throw new IllegalArgumentException(
            "no protocol '" + protocol + "' on this server; it has " + scripts.keySet());
      }
      queue.addAll(Arrays.asList(turns));
    }
  }

  /** Every request received, in order (the probes included). */
  public List<RecordedRequest> requests() {
    synchronized (received) {
      return received.stream().map(Entry::request).toList();
    }
  }

  /** The requests a protocol answered, in order. */
  public List<RecordedRequest> requests(String protocol) {
    synchronized (received) {
      return received.stream()
          .filter(e -> protocol.equals(e.protocol()))
          .map(Entry::request)
          .toList();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().toString();
      var request = new RecordedRequest(method, path, exchange.getRequestHeaders(), body);
      Protocol protocol =
          protocols.stream().filter(p -> p.handles(method, path)).findFirst().orElse(null);
      synchronized (received) {
        received.add(new Entry(protocol == null ? null : protocol.name(), request));
      }
      if (protocol == null) {
        int status = "HEAD".equals(method) && "/".equals(request.pathOnly()) ? 200 : 404;
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      Turn turn;
      synchronized (scripts) {
        turn = scripts.get(protocol.name()).poll();
      }
      protocol.respond(turn != null ? turn : protocol.defaultTurn(request), request, exchange);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
