package dev.orchestra.server;

import dev.orchestra.OrchestraException;
import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.secret.CredentialStore;
import dev.orchestra.secret.Credentials;
import dev.orchestra.server.api.Api;
import dev.orchestra.server.api.EventRoutes;
import dev.orchestra.server.api.HealthRoutes;
import dev.orchestra.server.api.NodeRoutes;
import dev.orchestra.server.api.OpenApiRoutes;
import dev.orchestra.server.api.RunRoutes;
import dev.orchestra.server.api.SessionRoutes;
import dev.orchestra.server.api.UiRoutes;
import dev.orchestra.server.api.WorkflowRoutes;
import dev.orchestra.server.auth.Access;
import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Sessions;
import dev.orchestra.server.auth.TokenStore;
import dev.orchestra.server.events.EventHub;
import dev.orchestra.server.events.EventStreams;
import dev.orchestra.server.events.EventTimings;
import dev.orchestra.server.github.Deliveries;
import dev.orchestra.server.github.GitHubConfig;
import dev.orchestra.server.github.PullRequestTriggers;
import dev.orchestra.server.github.WebhookRoutes;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import dev.orchestra.server.runs.RunSupervisor;
import dev.orchestra.server.workflows.WorkflowLibrary;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.sql.SoleUse;
import dev.orchestra.store.sql.SqlOptions;
import dev.orchestra.store.sql.SqlRunStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orchestra serve}: the REST API under {@code /api/v1} (docs/server.md), its server-sent
 * event streams, token auth and browser sessions, and the web UI at {@code /}, on Javalin (Jetty),
 * running runs on the engine {@link OrchestraRuntime} wires.
 *
 * <pre>{@code
 * try (OrchestraServer server = OrchestraServer.builder().home(home).port(0).build().start()) {
 *   URI api = server.url().resolve("/api/v1/runs");
 * }
 * }</pre>
 *
 * <p>The Orchestra home holds what the server keeps: {@code orchestra.db} and {@code blobs/} (the
 * SQLite run store, unless another database or store is given), {@code runs/} (what runs keep
 * besides records: cloned repositories, diffs), {@code workflows/} (stored workflows), {@code
 * tokens.json} and {@code server/} (what a graceful shutdown hands to the next start). {@link
 * #start()} resumes the runs a previous server left (see {@link RunSupervisor}); {@link #close()}
 * stops taking requests, cancels the running runs so that the next start resumes them, and stops,
 * within about 10 seconds. Thread-safe.
 */
public final class OrchestraServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestraServer.class);

  private final Builder options;
  private final OrchestraRuntime runtime;
  private final EventHub hub;
  private final EventStreams streams;
  private final RunSupervisor supervisor;
  private final Javalin app;
  private final ScheduledExecutorService takeovers;
  private final Optional<GitHubConfig> github;
  private final PullRequestTriggers triggers;
  private final WebhookRoutes webhooks;
  private boolean closed;

  /** On SQLite, this server's hold on the database, from {@link #start()} to {@link #close()}. */
  private volatile SoleUse soleUse;

  private OrchestraServer(Builder b) {
    this.options = b;
    this.runtime =
        OrchestraRuntime.builder()
            .store(b.store, b.runDirectories)
            .baseDirectory(b.baseDirectory)
            .environment(b.environment)
            .clock(b.clock)
            .build();
    this.hub = new EventHub(b.clock, EventTimings.fromSystemProperty());
    this.streams = new EventStreams(hub, b.store, b.heartbeat, b.poll);
    this.supervisor =
        new RunSupervisor(runtime.engine(), hub, b.clock, b.home.resolve("server"), b.limits);
    this.github = GitHubConfig.load(b.home);
    Credentials credentials = Credentials.of(CredentialStore.at(b.home), b.environment);
    this.triggers =
        new PullRequestTriggers(
            github, credentials, supervisor, b.store, b.home.resolve("server/github"), b.clock);
    this.webhooks =
        new WebhookRoutes(
            github,
            credentials,
            Deliveries.open(b.home.resolve("server/github/deliveries.jsonl")),
            triggers,
            b.clock);
    this.app = createApp();
    this.takeovers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "orchestra-takeover");
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  private Javalin createApp() {
    Builder b = options;
    WorkflowLibrary library = new WorkflowLibrary(b.home.resolve("workflows"));
    Sessions sessions = new Sessions(b.clock);
    Access access = new Access(b.tokens, sessions);
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          long webhookMax = github.map(GitHubConfig::maxPayloadBytes).orElse(0L);
          config.http.maxRequestSize = Math.max(b.maxBodyBytes, webhookMax);
          // Compression would hold back the bytes of event streams; the server is local first.
          config.http.compressionStrategy = CompressionStrategy.NONE;
          config.jetty.modifyHttpConfiguration(
              http -> {
                // Node ids of composed workflows are outer/inner, sent as outer%2Finner.
                http.setUriCompliance(
                    UriCompliance.DEFAULT.with(
                        "orchestra", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
                http.setSendServerVersion(false);
              });
          config.jetty.modifyServletContextHandler(
              handler -> handler.getServletHandler().setDecodeAmbiguousURIs(true));
          var routes = config.routes;
          routes.beforeMatched(
              ctx -> {
                long length = ctx.req().getContentLengthLong();
                // The webhook has its own limit (github.json), and records what it refuses.
                if (length > b.maxBodyBytes && !ctx.path().equals(WebhookRoutes.PATH)) {
                  drain(ctx);
                  throw tooLarge(b.maxBodyBytes);
                }
              });
          routes.beforeMatched(access);
          routes.beforeMatched(
              ctx -> {
                if (!supervisor.accepting()
                    && ctx.path().startsWith(Api.V1)
                    && !"GET".equals(ctx.method().name())) {
                  throw new RunSupervisor.ShuttingDown();
                }
              });
          new HealthRoutes(b.store, supervisor::accepting).register(routes);
          new SessionRoutes(b.tokens, sessions).register(routes);
          new OpenApiRoutes().register(routes);
          new WorkflowRoutes(library).register(routes);
          new RunRoutes(b.store, supervisor, library).register(routes);
          new NodeRoutes(b.store, supervisor, b.runDirectories).register(routes);
          new EventRoutes(b.store, streams).register(routes);
          webhooks.register(routes);
          triggers.register(routes);
          new UiRoutes().register(routes);
          routes.exception(ApiException.class, (e, ctx) -> Json.sendError(ctx, e));
          routes.exception(
              RunSupervisor.RunConflict.class,
              (e, ctx) -> Json.sendError(ctx, ApiException.conflict(e.getMessage())));
          routes.exception(
              RunSupervisor.ShuttingDown.class,
              (e, ctx) ->
                  Json.sendError(ctx, new ApiException(503, "shutting_down", e.getMessage())));
          routes.exception(
              RunSupervisor.Busy.class,
              (e, ctx) -> {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
                Json.sendError(ctx, new ApiException(503, "busy", e.getMessage()));
              });
          routes.exception(
              InvalidWorkflowException.class,
              (e, ctx) -> Json.sendError(ctx, ApiException.invalid(e.getMessage(), e.problems())));
          routes.exception(
              HttpResponseException.class,
              (e, ctx) -> {
                if (e.getStatus() == 413) {
                  drain(ctx);
                }
                Json.sendError(
                    ctx,
                    e.getStatus() == 413
                        ? tooLarge(b.maxBodyBytes)
                        : new ApiException(e.getStatus(), "http_" + e.getStatus(), e.getMessage()));
              });
          routes.exception(
              OrchestraException.class,
              (e, ctx) -> {
                String request = request(ctx);
                if (request == null) {
                  recycled(e);
                  return;
                }
                LOG.warn("{}: {}", request, e.getMessage());
                Json.sendError(ctx, new ApiException(500, "internal", e.getMessage()));
              });
          routes.exception(
              Exception.class,
              (e, ctx) -> {
                String request = request(ctx);
                if (request == null) {
                  recycled(e);
                  return;
                }
                LOG.error("{} failed", request, e);
                Json.sendError(
                    ctx,
                    new ApiException(
                        500, "internal", "the server failed: " + e + "; see the server's log"));
              });
          routes.error(
              404,
              ctx -> {
                if (ctx.resultInputStream() == null) {
                  Json.sendError(
                      ctx,
                      ApiException.notFound(
                          "no route "
                              + ctx.method()
                              + " "
                              + ctx.path()
                              + "; GET "
                              + Api.V1
                              + "/openapi.json lists them"));
                }
              });
        });
  }

  /**
   * The request as a log line names it ({@code GET /api/v1/runs}), or {@code null} when Jetty has
   * recycled it: an event stream's handler that returned after its client went away or the server
   * stopped. Such a request has no response to answer on, and an exception handler that touched it
   * would throw, which Javalin hands to the exception handlers again.
   */
  private static String request(io.javalin.http.Context ctx) {
    try {
      return ctx.method() + " " + ctx.path();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void recycled(Exception e) {
    LOG.debug("a request ended after its connection was recycled: {}", e.toString());
  }

  /** How much of a body too large to take the server reads and discards before its 413. */
  static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  /**
   * Reads and discards the rest of a request body that is too large (up to {@link #DRAIN_LIMIT}),
   * so that the client, still sending, reads the 413 instead of a connection reset: closing a
   * socket with unread data in it resets the connection. A body larger still ends the connection
   * after the answer ({@code Connection: close}).
   */
  private static void drain(io.javalin.http.Context ctx) {
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT;
    try {
      java.io.InputStream in = ctx.req().getInputStream();
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("the rest of a body too large could not be read: {}", e.toString());
    }
    if (left <= 0) {
      ctx.header("Connection", "close");
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(
        413,
        "too_large",
        "the request body is larger than "
            + max
            + " bytes, the server's limit; send less"
            + " (orchestra serve --max-body-bytes raises it)");
  }

  /**
   * Listens, then resumes the runs a previous server left.
   *
   * @throws OrchestraException when the address cannot be bound
   */
  public OrchestraServer start() {
    if (options.store instanceof SqlRunStore sql) {
      try {
        soleUse = sql.soleUse().orElse(null);
      } catch (OrchestraException e) {
        abandonStart();
        throw e;
      }
    }
    try {
      app.start(options.bind, options.port);
    } catch (RuntimeException e) {
      abandonStart();
      throw new OrchestraException(
          "cannot listen on "
              + options.bind
              + ":"
              + options.port
              + ": "
              + e.getMessage()
              + "; pick another --port or stop what uses it",
          e);
    }
    LOG.info("listening on {}", url());
    supervisor.recover();
    if (soleUse != null && options.store instanceof SqlRunStore sql) {
      // The one server of this SQLite database: runs another owner still holds are those of a
      // server that died (kill -9), and need not wait for their leases to expire.
      for (List<String> ids; !(ids = sql.leases().takeOverOthers(64)).isEmpty(); ) {
        supervisor.resumeAll(ids);
      }
    }
    // The runs of pull requests it resumed report their end on GitHub, as they would have.
    triggers.recover();
    if (options.store instanceof SqlRunStore sql) {
      // Runs whose server died holding their lease (kill -9, a lost machine) go to whichever
      // server takes them first once the lease expired: this one, or another on the same database.
      long every = Math.max(1000, sql.options().leaseTtl().toMillis() / 3);
      takeovers.scheduleWithFixedDelay(
          () -> {
            try {
              if (supervisor.accepting()) {
                supervisor.resumeAll(sql.leases().takeOverExpired(16));
              }
            } catch (RuntimeException e) {
              LOG.warn("cannot take over runs with expired leases: {}", e.getMessage());
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** The port listened on (the one chosen for port 0). */
  public int port() {
    return app.port();
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    String host = options.bind.contains(":") ? "[" + options.bind + "]" : options.bind;
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The Javalin application (tests enumerate its routes). */
  public Javalin app() {
    return app;
  }

  /** The ids of the runs running here now. */
  public java.util.Set<String> activeRuns() {
    return supervisor.activeRuns();
  }

  /**
   * Stops: refuses new work, cancels the running runs (the next start resumes them), ends the event
   * streams (waiting up to 2 seconds for them to complete) and stops listening. Returns within
   * about {@code shutdownGrace} plus 4 seconds.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    takeovers.shutdownNow();
    webhooks.close();
    try {
      List<String> cancelled = supervisor.shutdown(options.shutdownGrace);
      if (!cancelled.isEmpty()) {
        LOG.info("stopped {} run(s)", cancelled.size());
      }
    } finally {
      hub.close();
      awaitStreams();
      try {
        app.stop();
      } finally {
        try {
          runtime.close();
        } finally {
          if (options.ownsStore && options.store instanceof AutoCloseable c) {
            closeStore(c);
          }
          releaseSoleUse();
        }
      }
    }
  }

  /** Undoes what building and a start cut short hold: the engine, the store, the database. */
  private void abandonStart() {
    runtime.close();
    if (options.ownsStore && options.store instanceof AutoCloseable c) {
      closeStore(c);
    }
    releaseSoleUse();
  }

  private void releaseSoleUse() {
    SoleUse held = soleUse;
    soleUse = null;
    if (held != null) {
      held.close();
    }
  }

  /** How long {@link #close()} waits for the event streams to end. */
  private static final Duration STREAMS_GRACE = Duration.ofSeconds(2);

  /**
   * Waits (bounded) for the event streams that {@link EventHub#close()} ended to complete their
   * requests, so that stopping Jetty does not recycle a request a stream's thread still uses.
   */
  private void awaitStreams() {
    try {
      if (!streams.awaitClosed(STREAMS_GRACE)) {
        LOG.debug("event streams still open after {}; stopping anyway", STREAMS_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeStore(AutoCloseable store) {
    try {
      store.close();
    } catch (Exception e) {
      LOG.warn("closing the run store failed: {}", e.toString());
    }
  }

  /** Builds an {@link OrchestraServer}. Not thread-safe. */
  public static final class Builder {
    private Path home;
    private String bind = "127.0.0.1";
    private int port = 8080;
    private RunStore store;
    private Function<String, Path> runDirectories;
    private TokenStore tokens;
    private SqlOptions database;
    private boolean ownsStore;
    private Clock clock = Clock.systemUTC();
    private long maxBodyBytes = 1024 * 1024;
    private Duration heartbeat = Duration.ofSeconds(15);
    private Duration poll = Duration.ofSeconds(2);
    private Duration shutdownGrace = Duration.ofSeconds(7);
    private RunSupervisor.Limits limits = RunSupervisor.Limits.DEFAULT;
    private Path baseDirectory = Path.of("");
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The Orchestra home (required): runs, workflows, tokens. */
    public Builder home(Path home) {
      this.home = home.toAbsolutePath().normalize();
      return this;
    }

    /** The address to listen on; default 127.0.0.1 (this machine only). */
    public Builder bind(String address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port; 0 picks a free one. Default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a port is 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Where runs are recorded; default {@link #database} SQLite. */
    public Builder store(RunStore store, Function<String, Path> runDirectories) {
      this.store = Objects.requireNonNull(store, "store");
      this.runDirectories = Objects.requireNonNull(runDirectories, "runDirectories");
      return this;
    }

    /**
     * Records runs in the database of {@code options} (opened by {@link #build()}, closed with the
     * server); the default is SQLite in {@code HOME/orchestra.db}. A run whose server died is taken
     * over once its lease expires, by this server or another on the same database.
     */
    public Builder database(SqlOptions options) {
      this.database = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Where tokens are kept; default a {@link FileTokenStore} in the home. */
    public Builder tokens(TokenStore tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The largest request body; larger ones get 413. Default 1 MiB. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException(
            "the body limit must be at least 1024 bytes, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long an event stream may be silent before a heartbeat comment; default 15 s. */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = requirePositive(interval, "heartbeat");
      return this;
    }

    /** How often a stream of a run running elsewhere reads the store; default 2 s. */
    public Builder poll(Duration interval) {
      this.poll = requirePositive(interval, "poll");
      return this;
    }

    /**
     * How many runs run at once (default 64); a submission beyond that waits for one to end, up to
     * {@code wait} (default 2 s) and behind at most {@code maxWaiting} others (default 256), and is
     * then answered 503 with {@code Retry-After}.
     */
    public Builder limits(int maxRunning, int maxWaiting, Duration wait) {
      this.limits = new RunSupervisor.Limits(maxRunning, maxWaiting, wait);
      return this;
    }

    /** How long {@link #close()} waits for cancelled runs to end; default 7 s. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = requirePositive(grace, "shutdownGrace");
      return this;
    }

    /** Where relative paths of workspaces start; default the current directory. */
    public Builder baseDirectory(Path dir) {
      this.baseDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The environment runs see (templates' {@code env}, credentials); default this process's. */
    public Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(env);
      return this;
    }

    private static Duration requirePositive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }

    public OrchestraServer build() {
      Objects.requireNonNull(home, "a server needs an Orchestra home");
      if (store == null) {
        SqlOptions db =
            database != null
                ? database
                : SqlOptions.sqlite(
                        home.resolve(SqlOptions.DEFAULT_FILE),
                        home.resolve(SqlOptions.DEFAULT_BLOBS))
                    .build();
        store = SqlRunStore.open(db);
        ownsStore = true;
        Path runs = home.resolve("runs");
        // What a run keeps besides its records (a git repository it clones, diffs) lives here.
        runDirectories = id -> runs.resolve(id);
      }
      if (tokens == null) {
        tokens = FileTokenStore.in(home, clock);
      }
      return new OrchestraServer(this);
    }
  }
}
