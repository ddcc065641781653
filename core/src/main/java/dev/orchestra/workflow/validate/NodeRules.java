package dev.orchestra.workflow.validate;

import dev.orchestra.trust.BoundedRead;
import dev.orchestra.trust.ReadLimits;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CredentialRef;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each node must be to run: a known agent, a prompt or command that fits it, an image for
 * Docker, readable prompt files, and no agent keys on composed nodes. Also the per-agent limits.
 */
final class NodeRules {
  static final String COMMAND = "command";

  private NodeRules() {}

  static void check(ValidationScope scope) {
    Workflow wf = scope.workflow();
    Set<String> agents = scope.validation().options().agents();
    NodeSpec defaults = wf.defaults();
    knownAgent(scope, defaults.agent(), "/defaults/agent", "'defaults'", agents);
    critics(scope, defaults, "/defaults", "'defaults'", agents);
    readablePromptFile(scope, defaults.promptFile(), "/defaults/prompt_file");
    if (defaults.uses() != null) {
      notADefault(scope, "uses");
    }
    if (defaults.with() != null) {
      notADefault(scope, "with");
    }
    List<String> dockerWithoutImage = new ArrayList<>();
    for (Map.Entry<String, NodeSpec> e : wf.nodes().entrySet()) {
      String id = e.getKey();
      NodeSpec node = e.getValue();
      String at = SourceMap.pointer("nodes", id);
      String name = "node '" + id + "'";
      knownAgent(scope, node.agent(), at + "/agent", name, agents);
      critics(scope, node, at, name, agents);
      readablePromptFile(scope, node.promptFile(), at + "/prompt_file");
      if (node.isComposed()) {
        composedKeys(scope, node, at, id);
        continue;
      }
      NodeSpec effective = node.over(defaults);
      if (node.with() != null) {
        scope.atKey(
            at + "/with",
            name
                + " has 'with' but no 'uses'; 'with' fills the inputs of a used workflow, so add"
                + " 'uses' or remove 'with'");
      }
      task(scope, node, effective, at, name);
      credentialVariables(scope, node, effective, at, name);
      if (effective.executorOrDefault() == ExecutorKind.DOCKER && effective.image() == null) {
        if (node.executor() != null) {
          scope.atValue(
              at + "/executor",
              name + " runs with executor 'docker' but names no 'image'; add image: NAME:TAG");
        } else {
          dockerWithoutImage.add(id);
        }
      }
    }
    if (!dockerWithoutImage.isEmpty()) {
      scope.atValue(
          "/defaults/executor",
          "'defaults' set executor 'docker' but no 'image', and node(s) "
              + Names.list(dockerWithoutImage)
              + " name none either; add image: NAME:TAG to 'defaults' or to those nodes");
    }
    agentLimits(scope, wf, agents);
  }

  private static void notADefault(ValidationScope scope, String key) {
    scope.atKey(
        "/defaults/" + key,
        "'"
            + key
            + "' cannot be a default: it would make every node run the same workflow; set it on"
            + " the node that composes a workflow");
  }

  private static void knownAgent(
      ValidationScope scope, String agent, String pointer, String owner, Set<String> agents) {
    if (agent != null && !agents.contains(agent)) {
      scope.atValue(
          pointer,
          "unknown agent '" + agent + "' in " + owner,
          Names.hint(agent, agents, "known agents: " + Names.list(agents)));
    }
  }

  private static void critics(
      ValidationScope scope, NodeSpec node, String at, String owner, Set<String> agents) {
    List<CheckSpec> checks = node.checksOrEmpty();
    for (int i = 0; i < checks.size(); i++) {
      if (checks.get(i) instanceof CheckSpec.Critic critic) {
        knownAgent(
            scope,
            critic.agent(),
            at + "/checks/" + i + "/critic/agent",
            owner + " (critic)",
            agents);
      }
    }
  }

  /**
   * A {@code command} agent reads no usual variable, so each credential it gets must name one
   * ({@code {VAR: name}}); the agent adapters know theirs (e.g. {@code ANTHROPIC_API_KEY}).
   */
  private static void credentialVariables(
      ValidationScope scope, NodeSpec node, NodeSpec effective, String at, String name) {
    if (!effective.agentOrDefault().equals(COMMAND)) {
      return;
    }
    String base = node.credentials() != null ? at + "/credentials/" : "/defaults/credentials/";
    List<CredentialRef> refs = effective.credentialsOrEmpty();
    for (int i = 0; i < refs.size(); i++) {
      CredentialRef ref = refs.get(i);
      if (ref.variable() == null) {
        scope.atValue(
            base + i,
            name
                + " runs agent 'command', which has no usual variable for credential '"
                + ref.name()
                + "'; name the variable it gets, e.g. credentials: [{MY_TOKEN: "
                + ref.name()
                + "}]");
      }
    }
  }

  /** The prompt or command a node needs for its agent. */
  private static void task(
      ValidationScope scope, NodeSpec node, NodeSpec effective, String at, String name) {
    String agent = effective.agentOrDefault();
    boolean command = agent.equals(COMMAND);
    if (command && effective.command() == null) {
      scope.atKey(
          node.agent() != null ? at + "/agent" : at,
          name
              + " uses agent 'command' but has no 'command'; add command: [PROGRAM, ARG…] or"
              + " command: \"shell line\"");
    }
    if (!command && node.command() != null) {
      scope.atKey(
          at + "/command",
          name
              + " has a 'command' but its agent is '"
              + agent
              + "'; set agent: command to run it, or remove 'command'");
    }
    if (!command && effective.prompt() == null && effective.promptFile() == null) {
      scope.atKey(
          at,
          name
              + " has no prompt; agent '"
              + agent
              + "' needs a task, so add 'prompt' or 'prompt_file'");
    }
    if (effective.prompt() != null && effective.promptFile() != null) {
      scope.atKey(
          node.promptFile() != null ? at + "/prompt_file" : at + "/prompt",
          name
              + " has both 'prompt' and 'prompt_file'"
              + (node.prompt() == null || node.promptFile() == null ? " (one from 'defaults')" : "")
              + "; keep one");
    }
  }

  /** Keys that configure an agent, which a node running a whole workflow cannot use. */
  private static void composedKeys(ValidationScope scope, NodeSpec node, String at, String id) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("agent", node.agent());
    keys.put("prompt", node.prompt());
    keys.put("prompt_file", node.promptFile());
    keys.put(COMMAND, node.command());
    keys.put("model", node.model());
    keys.put("args", node.args());
    keys.put("endpoint", node.endpoint());
    keys.put("context", node.context());
    keys.put("executor", node.executor());
    keys.put("image", node.image());
    keys.put("docker", node.docker());
    keys.put("outputs", node.outputs());
    keys.forEach(
        (key, value) -> {
          if (value != null) {
            scope.atKey(
                at + "/" + key,
                "node '"
                    + id
                    + "' uses a workflow, so '"
                    + key
                    + "' does not apply (the used workflow's nodes set their own"
                    + (key.equals("outputs") ? " and it declares the outputs" : "")
                    + "); remove it");
          }
        });
  }

  private static void readablePromptFile(ValidationScope scope, String promptFile, String pointer) {
    if (promptFile == null) {
      return;
    }
    String why = outsideRepository(scope, promptFile);
    if (why != null) {
      scope.atValue(pointer, "prompt_file '" + promptFile + "' " + why);
      return;
    }
    Path resolved = scope.resolve(promptFile);
    why = unreadable(resolved);
    if (why == null && tooLarge(resolved, ReadLimits.PROMPT_FILE_BYTES)) {
      why =
          "is larger than the "
              + BoundedRead.size(ReadLimits.PROMPT_FILE_BYTES)
              + " a prompt file may be";
    }
    if (why != null) {
      scope.atValue(
          pointer,
          "prompt_file '"
              + promptFile
              + "' cannot be read: "
              + resolved.toAbsolutePath()
              + " "
              + why
              + "; the path is relative to the directory of "
              + scope.fileName());
    }
  }

  /**
   * Why {@code written}, a {@code prompt_file} or {@code uses}, leads out of the workflow's
   * repository (docs/security.md), or {@code null} when it stays inside.
   */
  static String outsideRepository(ValidationScope scope, String written) {
    return scope.repositoryPath(written) instanceof WorkspacePaths.Refused r ? r.reason() : null;
  }

  private static boolean tooLarge(Path file, long cap) {
    try {
      return Files.size(file) > cap;
    } catch (java.io.IOException e) {
      return false; // unreadable() has said what is wrong
    }
  }

  /** Why {@code file} cannot be read, or {@code null} when it can. */
  static String unreadable(Path file) {
    if (!Files.exists(file)) {
      return "does not exist";
    }
    if (!Files.isRegularFile(file)) {
      return "is not a regular file";
    }
    return Files.isReadable(file) ? null : "is not readable";
  }

  private static void agentLimits(ValidationScope scope, Workflow wf, Set<String> agents) {
    for (String agent : wf.limits().agents().keySet()) {
      if (!agents.contains(agent)) {
        scope.atKey(
            SourceMap.pointer("limits", "agents", agent),
            "limit for unknown agent '" + agent + "'",
            Names.hint(agent, agents, "known agents: " + Names.list(agents)));
      }
    }
  }
}
