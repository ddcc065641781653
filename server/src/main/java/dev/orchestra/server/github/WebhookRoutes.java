package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.secret.Credentials;
import dev.orchestra.server.api.Api;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/github}, open to anyone but taken only with a valid {@code
 * X-Hub-Signature-256} (no API token: GitHub has none), and {@code GET /api/v1/deliveries} (scope
 * read): every delivery and its decision.
 *
 * <p>A delivery is refused with 401 when its signature matches none of the secrets, with 413 over
 * the payload limit, and taken once: a delivery id seen before (also before a restart) runs
 * nothing. Events other than {@code pull_request}, {@code issue_comment} and the {@code
 * rerequested} action of {@code check_run} and {@code check_suite} (GitHub's <i>Re-run</i>, {@link
 * Rerequests}) are answered 202 and ignored ({@code ping} 200); those are answered 202 at once and
 * handled in order on one thread of their own, their decision recorded when it is made. Secrets are
 * read from the credential store on every delivery (a rotation needs no restart) and never logged
 * or echoed.
 */
public final class WebhookRoutes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

  /** The webhook's path. */
  public static final String PATH = "/webhooks/github";

  static final Set<String> HANDLED =
      Set.of("pull_request", "issue_comment", "check_run", "check_suite");

  private final Optional<GitHubConfig> config;
  private final Credentials credentials;
  private final Deliveries deliveries;
  private final GitHubEvents events;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "orchestra-github");
            t.setDaemon(true);
            return t;
          });

  public WebhookRoutes(
      Optional<GitHubConfig> config,
      Credentials credentials,
      Deliveries deliveries,
      GitHubEvents events,
      Clock clock) {
    this.config = config;
    this.credentials = credentials;
    this.deliveries = deliveries;
    this.events = events;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post(PATH, this::receive);
    routes.get(Api.V1 + "/deliveries", this::list, Scope.READ);
  }

  private void list(Context ctx) {
    int limit = 100;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > Deliveries.KEPT) {
        throw ApiException.badRequest(
            "'limit' is a number from 1 to " + Deliveries.KEPT + ", was \"" + l + "\"");
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deliveries", deliveries.list(limit));
    Json.send(ctx, 200, body);
  }

  private void receive(Context ctx) {
    GitHubConfig c =
        config.orElseThrow(
            () ->
                new ApiException(
                    503,
                    "webhooks_off",
                    "GitHub webhooks are off: the server has no "
                        + GitHubConfig.FILE
                        + " in its home (see docs/github.md)"));
    String id = Optional.ofNullable(ctx.header("X-GitHub-Delivery")).orElse("");
    String event = Optional.ofNullable(ctx.header("X-GitHub-Event")).orElse("");
    Delivery seen =
        new Delivery(
            id,
            event,
            null,
            null,
            null,
            clock.instant(),
            false,
            Delivery.Decision.REJECTED,
            "",
            List.of());
    if (ctx.req().getContentLengthLong() > c.maxPayloadBytes()) {
      throw tooLarge(seen, c);
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > c.maxPayloadBytes()) {
      throw tooLarge(seen, c);
    }
    List<String> secrets = new ArrayList<>();
    for (String name : c.webhookSecrets()) {
      credentials.find(name).ifPresent(secrets::add);
    }
    if (secrets.isEmpty()) {
      LOG.error(
          "no webhook secret: none of the credentials {} is set; add one with orchestra"
              + " credentials add NAME",
          c.webhookSecrets());
      deliveries.record(
          seen.decided(Delivery.Decision.FAILED, "the server has no webhook secret", List.of()));
      throw new ApiException(
          503, "webhooks_off", "the server has no webhook secret yet; see its log");
    }
    if (!WebhookSignature.verify(body, ctx.header(WebhookSignature.HEADER), secrets)) {
      String why =
          ctx.header(WebhookSignature.HEADER) == null
              ? "no " + WebhookSignature.HEADER + " header"
              : "the signature matches none of the webhook secrets";
      deliveries.record(seen.decided(Delivery.Decision.REJECTED, why, List.of()));
      LOG.warn("webhook delivery '{}' refused: {}", id, why);
      throw ApiException.unauthorized(
          why + "; set the same secret in the repository's webhook and the server's credential");
    }
    if (id.isEmpty()) {
      throw ApiException.badRequest(
          "no X-GitHub-Delivery header; GitHub sends one with each delivery");
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      payload = null;
    }
    if (payload == null || !payload.isObject()) {
      deliveries.record(
          seen.decided(Delivery.Decision.FAILED, "the payload is not a JSON object", List.of()));
      throw ApiException.badRequest("the payload is not a JSON object");
    }
    Delivery received =
        new Delivery(
            id,
            event,
            textOrNull(payload.path("action")),
            textOrNull(payload.at("/repository/full_name")),
            textOrNull(payload.at("/sender/login")),
            seen.receivedAt(),
            true,
            Delivery.Decision.RECEIVED,
            "",
            List.of());
    if (!deliveries.claim(received)) {
      deliveries.record(
          received.decided(
              Delivery.Decision.REPLAY, "delivery " + id + " was received before", List.of()));
      answer(ctx, 202, id, Delivery.Decision.REPLAY, "delivery " + id + " was received before");
      return;
    }
    if (event.equals("ping")) {
      deliveries.record(received.decided(Delivery.Decision.ACCEPTED, "ping", List.of()));
      LOG.info(
          "webhook delivery {} (ping) of {}: the webhook reaches the server",
          id,
          received.repository());
      answer(ctx, 200, id, Delivery.Decision.ACCEPTED, "pong");
      return;
    }
    Optional<String> ignored = ignored(event, received.action());
    if (ignored.isPresent()) {
      deliveries.record(received.decided(Delivery.Decision.IGNORED, ignored.get(), List.of()));
      answer(ctx, 202, id, Delivery.Decision.IGNORED, ignored.get());
      return;
    }
    JsonNode taken = payload;
    worker.execute(() -> handle(event, taken, received));
    answer(ctx, 202, id, Delivery.Decision.RECEIVED, "queued");
  }

  /** Why event {@code event} with {@code action} is not queued, if it is not. */
  private static Optional<String> ignored(String event, String action) {
    if (!HANDLED.contains(event)) {
      return Optional.of("event '" + event + "' is not one Orchestra handles");
    }
    // Not worth the queue.
    return Rerequests.notARerun(event, action);
  }

  private void handle(String event, JsonNode payload, Delivery d) {
    GitHubEvents.Outcome o;
    try {
      o = events.handle(event, payload, d);
    } catch (RuntimeException e) {
      LOG.error("webhook delivery {} ({}) failed", d.id(), event, e);
      o =
          new GitHubEvents.Outcome(
              Delivery.Decision.FAILED, String.valueOf(e.getMessage()), List.of());
    }
    deliveries.record(d.decided(o.decision(), o.reason(), o.runs()));
    LOG.info("webhook delivery {} ({}): {} {}", d.id(), event, o.decision().wireName(), o.reason());
  }

  private ApiException tooLarge(Delivery seen, GitHubConfig c) {
    String why = "the payload is larger than " + c.maxPayloadBytes() + " bytes";
    deliveries.record(seen.decided(Delivery.Decision.TOO_LARGE, why, List.of()));
    return new ApiException(
        413, "too_large", why + "; raise max_payload_bytes in " + GitHubConfig.FILE);
  }

  private static void answer(
      Context ctx, int status, String id, Delivery.Decision d, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("delivery", id);
    body.put("decision", d.wireName());
    body.put("reason", reason);
    Json.send(ctx, status, body);
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  /** Waits for the deliveries being handled, then stops the worker. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
