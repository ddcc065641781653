package dev.orchestra.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import dev.orchestra.server.workflows.WorkflowLibrary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/workflows}, {@code /validate} and {@code /library}: stored workflows by name, live
 * validation, the library of composed agents.
 */
public final class WorkflowRoutes {
  private final WorkflowLibrary library;

  public WorkflowRoutes(WorkflowLibrary library) {
    this.library = library;
  }

  public void register(RoutesConfig routes) {
    routes.get(Api.V1 + "/workflows", this::list, Scope.READ);
    routes.get(Api.V1 + "/workflows/{name}", this::get, Scope.READ);
    routes.put(Api.V1 + "/workflows/{name}", this::put, Scope.RUN);
    routes.delete(Api.V1 + "/workflows/{name}", this::delete, Scope.ADMIN);
    routes.post(Api.V1 + "/validate", this::validate, Scope.READ);
    routes.get(Api.V1 + "/library", this::agents, Scope.READ);
  }

  private void list(Context ctx) {
    Json.send(ctx, 200, Json.of("workflows", library.list()));
  }

  private void get(Context ctx) {
    String name = name(ctx);
    WorkflowLibrary.Checked c = library.stored(name).orElseThrow(() -> unknown(name));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("yaml", c.text());
    body.put("problems", c.problems());
    Json.send(ctx, 200, body);
  }

  private void put(Context ctx) {
    String name = name(ctx);
    String yaml = yaml(Json.object(ctx));
    WorkflowLibrary.Checked c = library.save(name, yaml);
    if (!c.ok()) {
      throw ApiException.invalid(
          "workflow '"
              + name
              + "' has "
              + Api.count(c.problems().size(), "problem")
              + "; nothing was saved",
          c.problems());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("problems", c.problems());
    Json.send(ctx, 200, body);
  }

  private void delete(Context ctx) {
    String name = name(ctx);
    if (!library.delete(name)) {
      throw unknown(name);
    }
    ctx.status(204);
  }

  private void validate(Context ctx) {
    String yaml = yaml(Json.object(ctx));
    Json.send(ctx, 200, Json.of("problems", library.check(null, yaml, null).problems()));
  }

  private void agents(Context ctx) {
    Json.send(ctx, 200, Json.of("agents", library.agents()));
  }

  static String yaml(ObjectNode body) {
    String yaml = Json.text(body, "yaml");
    if (yaml == null) {
      throw ApiException.badRequest("the body needs \"yaml\": the workflow file's text");
    }
    return yaml;
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!WorkflowLibrary.isValidName(name)) {
      throw ApiException.badRequest(
          "'"
              + name
              + "' is not a workflow name; names are lower-case letters, digits, '_' and '-',"
              + " starting with a letter or digit");
    }
    return name;
  }

  static ApiException unknown(String name) {
    return ApiException.notFound(
        "no workflow '" + name + "' is stored; GET /api/v1/workflows lists them");
  }
}
