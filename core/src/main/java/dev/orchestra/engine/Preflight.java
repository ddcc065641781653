package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.secret.Credentials;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CredentialRef;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkspaceSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a valid workflow needs from this machine, checked before anything runs, all problems at
 * once, each at the line and column of the key that asks for it (as validation reports the file):
 * every credential a node (or its critic) lists can be found; every agent's CLI is installed (for
 * nodes on this machine); every node's executor is ready (for {@code executor: docker}, the engine
 * answers and the image is there, as far as the front end's check tells); the workspace's {@code
 * repo} exists or answers, with its {@code ref}. Also the credentials shorter than {@value
 * SecretMasker#MIN_LENGTH} characters, which are not masked, as warnings.
 *
 * <p>Reads only: nothing is started, created or written, except what an executor's check does to
 * connect (the Docker engine). May block on the network (a repository URL, the Docker engine) for
 * bounded times. Thread-safe.
 */
public final class Preflight {
  private final RunServices services;
  private final Map<ExecutorKind, Function<NodeSpec, Optional<String>>> executors;
  private final WorkflowReader loader;

  Preflight(
      RunServices services,
      Map<ExecutorKind, Function<NodeSpec, Optional<String>>> executors,
      WorkflowReader loader) {
    this.services = services;
    this.executors = Map.copyOf(executors);
    this.loader = loader;
  }

  /**
   * What a pre-flight check found.
   *
   * @param problems what keeps the run from starting, each at the key that asks for it
   * @param warnings what the run can start with but the user should know (short credentials)
   */
  public record Findings(List<Problem> problems, List<Problem> warnings) {
    public Findings {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }
  }

  Findings check(
      Workflow workflow, Map<String, String> inputs, java.nio.file.Path baseDir, Trust trust) {
    RunGraph graph = RunGraph.build(workflow, loader, baseDir, trust);
    List<Problem> problems = new ArrayList<>();
    List<Problem> warnings = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (GraphNode n : graph.nodes) {
      if (n.isComposite()) {
        continue;
      }
      Site site = new Site(n);
      credentials(n, site, problems, warnings, seen);
      agent(n.agent(), n.spec, site.key("agent"), "node '" + n.id + "'", problems);
      List<CheckSpec> checks = n.spec.checksOrEmpty();
      for (int i = 0; i < checks.size(); i++) {
        if (checks.get(i) instanceof CheckSpec.Critic c
            && c.agent() != null
            && !c.agent().equals(n.agent())) {
          agent(
              c.agent(),
              n.spec,
              site.key("checks", i, "critic"),
              "the critic of node '" + n.id + "'",
              problems);
        }
      }
      Function<NodeSpec, Optional<String>> ready = executors.get(n.spec.executorOrDefault());
      if (ready != null) {
        ready
            .apply(n.spec)
            .ifPresent(
                why ->
                    problems.add(
                        new Problem(
                            site.key(n.spec.image() != null ? "image" : "executor"),
                            "node '" + n.id + "' cannot run: " + why)));
      }
    }
    workspace(graph, inputs, problems);
    return new Findings(problems, warnings);
  }

  private void credentials(
      GraphNode n, Site site, List<Problem> problems, List<Problem> warnings, Set<String> seen) {
    Credentials credentials = services.credentials();
    List<CredentialRef> refs = n.spec.credentialsOrEmpty();
    for (int i = 0; i < refs.size(); i++) {
      String name = refs.get(i).name();
      var at = site.value("credentials", i);
      Optional<String> value;
      try {
        value = credentials.find(name);
      } catch (OrchestraException e) {
        problems.add(new Problem(at, e.getMessage()));
        continue;
      }
      if (value.isEmpty()) {
        problems.add(
            new Problem(
                at,
                "node '"
                    + n.id
                    + "' needs credential '"
                    + name
                    + "', which is neither in the credential store nor in "
                    + Credentials.variableFor(name),
                "add it with `orchestra credentials add "
                    + name
                    + "` or set "
                    + Credentials.variableFor(name)));
      } else if (value.get().length() < SecretMasker.MIN_LENGTH && seen.add(name)) {
        warnings.add(
            new Problem(
                at,
                "credential '"
                    + name
                    + "' is "
                    + value.get().length()
                    + " characters long; values shorter than "
                    + SecretMasker.MIN_LENGTH
                    + " are not masked in output and records"));
      }
    }
  }

  private void agent(
      String name, NodeSpec spec, SourcePosition at, String who, List<Problem> problems) {
    Agent agent = services.agents().get(name);
    if (agent == null) {
      // Validation names unknown agents; a front end without that agent says so here.
      problems.add(
          new Problem(
              at,
              who
                  + " uses agent '"
                  + name
                  + "', which this build does not run; it runs: "
                  + String.join(", ", new java.util.TreeSet<>(services.agents().keySet()))));
      return;
    }
    agent.unavailable(spec).ifPresent(why -> problems.add(new Problem(at, who + ": " + why)));
  }

  private void workspace(RunGraph graph, Map<String, String> inputs, List<Problem> problems) {
    Workflow wf = graph.root.workflow;
    WorkspaceSpec ws = wf.workspace() == null ? WorkspaceSpec.CURRENT_DIRECTORY : wf.workspace();
    var at = wf.sourceMap().value(SourceMap.pointer("workspace", "repo"));
    try {
      if (ws.ref() != null) {
        graph.root.inputs(inputs);
        ws =
            ws.withRef(
                graph.root.render(ws.ref(), "the workspace 'ref'", "preflight", services.env()));
      }
      services.workspaces().unavailable(ws).ifPresent(why -> problems.add(new Problem(at, why)));
    } catch (OrchestraException e) {
      problems.add(new Problem(at, e.getMessage()));
    }
  }

  /** Where a node's keys stand: in the node, else in the {@code defaults} it inherits them from. */
  private static final class Site {
    private final SourceMap map;
    private final String localId;
    private final NodeSpec own;

    Site(GraphNode n) {
      Workflow wf = n.scope.workflow;
      this.map = wf.sourceMap();
      this.localId = n.localId;
      this.own = wf.nodes().get(n.localId);
    }

    SourcePosition key(String field, Object... rest) {
      return map.key(pointer(field, rest));
    }

    SourcePosition value(String field, Object... rest) {
      return map.value(pointer(field, rest));
    }

    private String pointer(String field, Object... rest) {
      boolean inNode =
          own == null
              || switch (field) {
                case "agent" -> own.agent() != null;
                case "credentials" -> own.credentials() != null;
                case "image" -> own.image() != null;
                case "executor" -> own.executor() != null;
                case "checks" -> own.checks() != null;
                default -> true;
              };
      Object[] path = new Object[rest.length + 1];
      path[0] = field;
      System.arraycopy(rest, 0, path, 1, rest.length);
      return (inNode ? SourceMap.pointer("nodes", localId) : SourceMap.pointer("defaults"))
          + SourceMap.pointer(path);
    }
  }
}
