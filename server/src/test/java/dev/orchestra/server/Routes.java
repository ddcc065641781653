package dev.orchestra.server;

import dev.orchestra.server.auth.Access;
import dev.orchestra.server.auth.Scope;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The routes a server registered with Javalin, read from its router (not from a list of ours). */
final class Routes {
  /** A registered route: method, path (Javalin's {param} syntax) and the scope it needs. */
  record Route(String method, String path, Optional<Scope> scope) {
    /** The path with its parameters filled, for a request. */
    String example() {
      return path.replace("{id}", "20261201-000000-abcd")
          .replace("{node}", "outer%2Finner")
          .replace("{name}", "demo")
          .replace("{attempt}", "1")
          .replace("{kind}", "stdout");
    }
  }

  private static final Set<HandlerType> VERBS =
      Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE);

  private Routes() {}

  /** Every API and health route; the UI's file routes ({@code /}, {@code /<path>}) left out. */
  static List<Route> of(OrchestraServer server) {
    return server.app().unsafe.internalRouter.allHttpHandlers().stream()
        .map(p -> p.endpoint)
        .filter(e -> VERBS.contains(e.method))
        .filter(e -> !e.path.equals("/") && !e.path.startsWith("/<"))
        .map(e -> new Route(e.method.name(), e.path, Access.required(roles(e))))
        .toList();
  }

  private static Set<io.javalin.security.RouteRole> roles(Endpoint e) {
    Roles roles = e.metadata(Roles.class);
    return roles == null ? Set.of() : roles.getRoles();
  }
}
