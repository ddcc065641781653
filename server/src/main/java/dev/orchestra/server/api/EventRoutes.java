package dev.orchestra.server.api;

import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.events.EventStreams;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;

/**
 * The event streams as server-sent events: {@code GET /api/v1/runs/{id}/events} (a run's events,
 * resumable with {@code Last-Event-ID} or {@code ?after=SEQ}) and {@code GET /api/v1/events} (run
 * starts and ends and node status changes of every run this server runs).
 */
public final class EventRoutes {
  private final RunStore store;
  private final EventStreams streams;

  public EventRoutes(RunStore store, EventStreams streams) {
    this.store = store;
    this.streams = streams;
  }

  public void register(RoutesConfig routes) {
    routes.get(Api.V1 + "/runs/{id}/events", this::run, Scope.READ);
    routes.get(Api.V1 + "/events", this::global, Scope.READ);
  }

  private void run(Context ctx) {
    RunInfo info = RunRoutes.info(store, ctx.pathParam("id"));
    requireEventStream(ctx);
    Long position = position(ctx);
    long after = position == null ? 0 : position;
    String node = ctx.queryParam("node");
    String only = node == null || node.isBlank() ? null : node;
    new SseHandler(0, client -> streams.run(client, info.id(), after, only)).handle(ctx);
  }

  private void global(Context ctx) {
    requireEventStream(ctx);
    // "From now on" is from this request: the client sees the response begin before the stream's
    // thread starts, and events appended meanwhile are its to get.
    Long given = position(ctx);
    Long position = given != null ? given : streams.globalPosition();
    new SseHandler(0, client -> streams.global(client, position)).handle(ctx);
  }

  /** {@code Last-Event-ID} (a reconnect), else {@code ?after=}, else none. */
  private static Long position(Context ctx) {
    String last = ctx.header("Last-Event-ID");
    String name = "Last-Event-ID";
    if (last == null || last.isBlank()) {
      last = ctx.queryParam("after");
      name = "after";
    }
    if (last == null || last.isBlank()) {
      return null;
    }
    try {
      long v = Long.parseLong(last.strip());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        name + " must be the id of an event (a number from 0), was '" + last + "'");
  }

  private static void requireEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ApiException(
          406,
          "not_acceptable",
          "this is a server-sent event stream; send 'Accept: text/event-stream' (curl -N -H"
              + " 'Accept: text/event-stream' ...)");
    }
  }
}
