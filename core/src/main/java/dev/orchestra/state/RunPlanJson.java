package dev.orchestra.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.workflow.DockerOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form in which run stores record a {@link RunPlan} (the file store's {@code
 * run-plan.json}, the SQL stores' {@code runs.run_plan}): one object without a line break, {@code
 * {"nodes": [{"id", "needs", "agent", "attempts"}], "containers": [{"node", "image", "docker":
 * {"cpus", "memory", "network", "mounts", "pids_limit", "capabilities", "no_new_privileges"}}]}};
 * an absent {@code agent} or {@code image} is {@code null}. Stateless and thread-safe.
 */
public final class RunPlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunPlanJson() {}

  /** The plan as one JSON object, without a line break. */
  public static String encode(RunPlan plan) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode nodes = root.putArray("nodes");
    for (PlannedNode p : plan.nodes()) {
      ObjectNode n = nodes.addObject();
      n.put("id", p.id());
      p.needs().forEach(n.putArray("needs")::add);
      n.put("agent", p.agent());
      n.put("attempts", p.attempts());
    }
    ArrayNode containers = root.putArray("containers");
    for (RunPlan.Container c : plan.containers()) {
      ObjectNode n = containers.addObject();
      n.put("node", c.node());
      n.put("image", c.image());
      DockerOptions d = c.docker();
      ObjectNode docker = n.putObject("docker");
      docker.put("cpus", d.cpus());
      docker.put("memory", d.memory());
      docker.put("network", d.network());
      d.mounts().forEach(docker.putArray("mounts")::add);
      docker.put("pids_limit", d.pidsLimit());
      d.capabilities().forEach(docker.putArray("capabilities")::add);
      docker.put("no_new_privileges", d.noNewPrivileges());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a run plan: " + e, e);
    }
  }

  /**
   * The plan {@link #encode} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is not such a plan
   */
  public static RunPlan decode(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable run plan: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.path("nodes").isArray() || !root.path("containers").isArray()) {
      throw new IllegalArgumentException("unreadable run plan: no nodes and containers arrays");
    }
    List<PlannedNode> nodes = new ArrayList<>(root.path("nodes").size());
    for (JsonNode n : root.path("nodes")) {
      nodes.add(
          new PlannedNode(
              required(n, "id"),
              strings(n.path("needs")),
              text(n, "agent"),
              n.path("attempts").asInt()));
    }
    List<RunPlan.Container> containers = new ArrayList<>();
    for (JsonNode n : root.path("containers")) {
      JsonNode d = n.path("docker");
      containers.add(
          new RunPlan.Container(
              required(n, "node"),
              text(n, "image"),
              new DockerOptions(
                  d.path("cpus").isNumber() ? d.path("cpus").asDouble() : null,
                  text(d, "memory"),
                  text(d, "network"),
                  strings(d.path("mounts")),
                  d.path("pids_limit").isNumber() ? d.path("pids_limit").asLong() : null,
                  d.has("capabilities") ? strings(d.path("capabilities")) : null,
                  d.path("no_new_privileges").isBoolean()
                      ? d.path("no_new_privileges").asBoolean()
                      : null)));
    }
    return new RunPlan(nodes, containers);
  }

  private static String required(JsonNode n, String field) {
    String value = text(n, field);
    if (value == null) {
      throw new IllegalArgumentException("unreadable run plan: an entry has no " + field);
    }
    return value;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>(array.size());
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
