package dev.orchestra.workflow.parse;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys the parser accepts, per kind of object. The JSON Schema names its definitions after
 * these kinds, and a test holds the two in agreement.
 */
final class Keys {
  static final Set<String> WORKFLOW =
      set(
          "version",
          "name",
          "description",
          "inputs",
          "defaults",
          "limits",
          "workspace",
          "nodes",
          "outputs",
          "on");
  static final Set<String> ON = set("pull_request", "comment");
  static final Set<String> ON_PULL_REQUEST = set("branches", "paths");
  static final Set<String> ON_COMMENT = set("command");
  static final Set<String> INPUT = set("description", "required", "default");
  static final Set<String> NODE =
      set(
          "needs",
          "agent",
          "uses",
          "with",
          "prompt",
          "prompt_file",
          "command",
          "model",
          "args",
          "endpoint",
          "context",
          "checks",
          "attempts",
          "backoff",
          "timeout",
          "idle_timeout",
          "executor",
          "image",
          "docker",
          "env",
          "credentials",
          "outputs",
          "continue_on_failure",
          "budget",
          "price",
          "on_conflict",
          "approval",
          "logs");
  static final Set<String> DEFAULTS = without(NODE, "needs");
  static final Set<String> LIMITS = set("concurrency", "agents", "budget", "timeout");
  static final Set<String> WORKSPACE =
      set("repo", "ref", "isolation", "branch_prefix", "push", "remote", "credentials", "author");
  static final Set<String> BACKOFF = set("delay", "factor", "max");
  static final Set<String> BUDGET = set("usd", "tokens");
  static final Set<String> PRICE =
      set("input_per_mtok", "output_per_mtok", "cached_input_per_mtok");
  static final Set<String> DOCKER =
      set("cpus", "memory", "network", "mounts", "pids_limit", "capabilities", "no_new_privileges");
  static final Set<String> APPROVAL = set("message", "approvers");
  static final Set<String> LOGS = set("max");
  static final Set<String> CHECK_EXISTS = set("exists");
  static final Set<String> CHECK_RUN = set("run", "timeout", "name", "executor");
  static final Set<String> CHECK_JUNIT = set("junit", "min_tests");
  static final Set<String> CHECK_CRITIC = set("critic");
  static final Set<String> CRITIC = set("agent", "prompt", "model");
  static final Set<String> CONTEXT = set("file", "url", "node");
  static final Set<String> OUTPUT = set("file", "json");
  static final Set<String> WORKFLOW_OUTPUT = set("value", "description");

  /** The key that makes a check entry of each type, and the keys that type accepts. */
  static final Map<String, Set<String>> CHECK_TYPES =
      Map.of(
          "exists", CHECK_EXISTS, "run", CHECK_RUN, "junit", CHECK_JUNIT, "critic", CHECK_CRITIC);

  /** Every key some check type accepts. */
  static final Set<String> CHECK_ANY = union(CHECK_EXISTS, CHECK_RUN, CHECK_JUNIT, CHECK_CRITIC);

  static final Map<String, Set<String>> BY_KIND = byKind();

  private Keys() {}

  private static Map<String, Set<String>> byKind() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    m.put("workflow", WORKFLOW);
    m.put("input", INPUT);
    m.put("on", ON);
    m.put("on_pull_request", ON_PULL_REQUEST);
    m.put("on_comment", ON_COMMENT);
    m.put("defaults", DEFAULTS);
    m.put("node", NODE);
    m.put("limits", LIMITS);
    m.put("workspace", WORKSPACE);
    m.put("backoff", BACKOFF);
    m.put("budget", BUDGET);
    m.put("price", PRICE);
    m.put("docker", DOCKER);
    m.put("approval", APPROVAL);
    m.put("logs", LOGS);
    m.put("check_exists", CHECK_EXISTS);
    m.put("check_run", CHECK_RUN);
    m.put("check_junit", CHECK_JUNIT);
    m.put("check_critic", CHECK_CRITIC);
    m.put("critic", CRITIC);
    m.put("context", CONTEXT);
    m.put("output", OUTPUT);
    m.put("workflow_output", WORKFLOW_OUTPUT);
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Set<String> set(String... keys) {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> s = new LinkedHashSet<>();
    for (Set<String> x : sets) {
      s.addAll(x);
    }
    return java.util.Collections.unmodifiableSet(s);
  }

  private static Set<String> without(Set<String> keys, String key) {
    Set<String> s = new LinkedHashSet<>(keys);
    s.remove(key);
    return java.util.Collections.unmodifiableSet(s);
  }
}
