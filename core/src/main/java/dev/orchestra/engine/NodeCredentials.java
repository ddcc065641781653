package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.workflow.CredentialRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a node's {@code credentials} into environment variables for its agent: {@code {VAR: name}}
 * under {@code VAR}, a bare {@code name} under the variable the agent's CLI reads ({@link
 * #DEFAULT_VARIABLES}). Every value is registered with the run's masker before any process sees it.
 */
final class NodeCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCredentials.class);

  /** The variable each agent's CLI reads its API key from. */
  static final Map<String, String> DEFAULT_VARIABLES =
      Map.of(
          "claude", "ANTHROPIC_API_KEY",
          "codex", "OPENAI_API_KEY",
          "gemini", "GEMINI_API_KEY");

  private NodeCredentials() {}

  /**
   * The variable {@code ref} is exposed as for {@code agent}.
   *
   * @throws OrchestraException for a bare name on an agent without a known variable
   */
  static String variable(String nodeId, String agent, CredentialRef ref) {
    if (ref.variable() != null) {
      return ref.variable();
    }
    String variable = DEFAULT_VARIABLES.get(agent);
    if (variable == null) {
      throw new OrchestraException(
          "node '"
              + nodeId
              + "' (agent '"
              + agent
              + "') lists credential '"
              + ref.name()
              + "' without a variable, and agent '"
              + agent
              + "' has no usual one; name it, e.g. credentials: [{MY_TOKEN: "
              + ref.name()
              + "}]");
    }
    return variable;
  }

  /**
   * Why an agent's credentials were refused, for an adapter that gave no message: names the
   * variable its CLI reads and how to provide it.
   */
  static String refused(String nodeId, String agent) {
    String variable = DEFAULT_VARIABLES.get(agent);
    if (variable == null) {
      return "agent '"
          + agent
          + "' of node '"
          + nodeId
          + "' was refused its credentials; check the ones the node's 'credentials' provide";
    }
    String name =
        switch (agent) {
          case "codex" -> "openai";
          case "gemini" -> "gemini";
          default -> "anthropic";
        };
    return "agent '"
        + agent
        + "' of node '"
        + nodeId
        + "' was refused its credentials; its CLI reads "
        + variable
        + ": list a credential on the node, e.g. credentials: ["
        + name
        + "], and store its value with `orchestra credentials add "
        + name
        + "` or in "
        + Credentials.ENV_PREFIX
        + name.toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * Resolves the credentials of a node and registers their values with {@code masker}.
   *
   * @throws OrchestraException when one is missing (naming both ways to provide it) or has no
   *     variable
   */
  static Map<String, String> resolve(
      String nodeId,
      String agent,
      List<CredentialRef> refs,
      Credentials credentials,
      SecretMasker masker) {
    Map<String, String> env = new LinkedHashMap<>();
    for (CredentialRef ref : refs) {
      String variable = variable(nodeId, agent, ref);
      String value = credentials.resolve(ref.name());
      if (!masker.add(value)) {
        // The pre-flight (Engine.preflight) warns the user, once per run, before any node starts.
        LOG.debug(
            "credential '{}' is shorter than {} characters and will not be masked in output",
            ref.name(),
            SecretMasker.MIN_LENGTH);
      }
      env.put(variable, value);
    }
    return env;
  }

  /**
   * Checks every node of the run before anything runs, and registers the values that can be found
   * already, so that they are masked even in the output of nodes that do not use them.
   *
   * @throws OrchestraException for the first credential without a variable
   */
  static void prepare(RunGraph graph, Credentials credentials, SecretMasker masker) {
    for (GraphNode n : graph.nodes) {
      if (n.isComposite()) {
        continue;
      }
      for (CredentialRef ref : n.spec.credentialsOrEmpty()) {
        variable(n.id, n.agent(), ref);
        try {
          credentials.find(ref.name()).ifPresent(masker::add);
        } catch (OrchestraException e) {
          // Reported when the node starts, as its error.
          LOG.debug("credential '{}' cannot be read yet: {}", ref.name(), e.getMessage());
        }
      }
    }
  }
}
