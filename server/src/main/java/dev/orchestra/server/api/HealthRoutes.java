package dev.orchestra.server.api;

import dev.orchestra.server.http.Json;
import dev.orchestra.store.RunStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (the run store answers, and the server
 * is not shutting down), both without a token, for load balancers and supervisors.
 */
public final class HealthRoutes {
  private final RunStore store;
  private final BooleanSupplier accepting;

  public HealthRoutes(RunStore store, BooleanSupplier accepting) {
    this.store = store;
    this.accepting = accepting;
  }

  public void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> Json.send(ctx, 200, Json.of("status", "ok")));
    routes.get("/readyz", this::ready);
  }

  private void ready(Context ctx) {
    if (!accepting.getAsBoolean()) {
      Json.send(ctx, 503, Json.of("status", "shutting_down"));
      return;
    }
    try {
      // A read of a run that cannot exist: it touches the store without listing it.
      store.find("00000000-000000-0000");
      Json.send(ctx, 200, Json.of("status", "ready"));
    } catch (RuntimeException e) {
      Json.send(
          ctx,
          503,
          java.util.Map.of(
              "status", "store_unreachable", "message", String.valueOf(e.getMessage())));
    }
  }
}
