package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.check.AgentCall;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Watch;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.workflow.NodeSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The {@link AgentCall} of one critic check of one attempt: runs the critic's agent like an attempt
 * of the node, on the node's executor (so a stop of the node kills it), under the node's timeouts,
 * with the node's credentials exposed as the critic agent's CLI expects, its output masked, and its
 * usage counted in the node's and the run's usage and budgets. Its files go to {@code critic-N/} in
 * the attempt's directory: {@code prompt.txt}, {@code transcript.log} (stdout, stderr lines
 * prefixed by the stream) and {@code answer.txt}. Used by the node's thread only.
 */
final class CriticCall implements AgentCall {
  /** Set in the critic's environment, so that a {@code command} critic can tell it is one. */
  static final String CRITIC_VARIABLE = "ORCHESTRA_CRITIC";

  private final Coordinator coordinator;
  private final GraphNode node;
  private final NodeSpec nodeSpec;
  private final int attempt;
  private final Path dir;
  private final Path workspace;
  private final Executor executor;
  private final Map<String, String> env;
  private final Consumer<Usage> spent;

  /**
   * @param nodeSpec the node as its agent sees it ({@code model} and {@code endpoint} rendered)
   * @param dir the critic's directory, {@code critic-N} in the attempt's
   * @param executor the node's executor (tracked and recording)
   * @param env the node's rendered {@code env}, without credentials
   * @param spent told the usage of each critic run, after it was added to the node's
   */
  CriticCall(
      Coordinator coordinator,
      GraphNode node,
      NodeSpec nodeSpec,
      int attempt,
      Path dir,
      Path workspace,
      Executor executor,
      Map<String, String> env,
      Consumer<Usage> spent) {
    this.coordinator = coordinator;
    this.node = node;
    this.nodeSpec = nodeSpec;
    this.attempt = attempt;
    this.dir = dir;
    this.workspace = workspace;
    this.executor = executor;
    this.env = env;
    this.spent = spent;
  }

  @Override
  public Reply ask(String agentName, String model, String prompt) throws InterruptedException {
    RunServices services = coordinator.services();
    SecretMasker masker = coordinator.masker();
    String name = agentName != null ? agentName : node.agent();
    Agent agent = services.agents().get(name);
    if (agent == null) {
      return Reply.failed(
          "unknown agent '"
              + name
              + "'; this build runs: "
              + String.join(", ", new TreeSet<>(services.agents().keySet())));
    }
    AgentLaunch launch;
    try {
      Map<String, String> all = new LinkedHashMap<>(env);
      all.putAll(
          NodeCredentials.resolve(
              node.id, name, node.spec.credentialsOrEmpty(), services.credentials(), masker));
      all.put(CRITIC_VARIABLE, "1");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("prompt.txt"), masker.mask(prompt), StandardCharsets.UTF_8);
      launch =
          agent.prepare(
              new AgentRequest(
                  coordinator.runId(),
                  node.id,
                  attempt,
                  spec(name, model),
                  prompt,
                  null,
                  null,
                  workspace,
                  dir,
                  all));
    } catch (OrchestraException e) {
      return Reply.failed(e.getMessage());
    } catch (IOException e) {
      return Reply.failed("cannot write the critic's files into " + dir + ": " + e.getMessage());
    }
    AgentResult result;
    try (Transcript transcript = new Transcript(dir.resolve("transcript.log"))) {
      result = run(launch, transcript, services, masker);
    } catch (IOException e) {
      return Reply.failed("cannot record the critic's transcript in " + dir + ": " + e);
    }
    if (result == null) {
      return Reply.failed(node.control.reason());
    }
    return switch (result.outcome()) {
      case COMPLETED -> {
        write(dir.resolve("answer.txt"), result.output());
        yield Reply.answered(result.output());
      }
      case RATE_LIMITED ->
          Reply.failed("rate limited" + (result.message() != null ? ": " + result.message() : ""));
      case AUTH_FAILED ->
          Reply.failed(
              result.message() != null ? result.message() : NodeCredentials.refused(node.id, name));
      case FAILED -> Reply.failed(result.message() != null ? result.message() : "the agent failed");
    };
  }

  /** Runs the critic's process; {@code null} when the node was stopped meanwhile. */
  private AgentResult run(
      AgentLaunch launch, Transcript transcript, RunServices services, SecretMasker masker)
      throws InterruptedException {
    NodeControl control = node.control;
    AgentSink sink =
        new AgentSink() {
          @Override
          public void output(String stream, String text) {
            // The critic's words are in its transcript; the node's live output stays the node's.
          }

          @Override
          public void usage(Usage soFar) {
            String over = coordinator.attemptUsage(node, soFar);
            if (over != null) {
              control.stop(NodeStatus.BUDGET_EXCEEDED, over);
            }
          }
        };
    Watch watch =
        services.watchdog().newWatch(node.spec.timeoutOrDefault(), node.spec.idleTimeout());
    SecretMasker.Lines stdout = masker.lines();
    SecretMasker.Lines stderr = masker.lines();
    Execution execution =
        executor.start(
            launch.process(),
            watch.listener(
                (stream, line) -> {
                  for (String l : (stream == OutputStream.STDERR ? stderr : stdout).accept(line)) {
                    transcript.line(stream, l);
                    launch.reader().onLine(stream, l, sink);
                  }
                }));
    watch.start(execution);
    ExitStatus exit;
    try {
      exit = execution.await();
    } catch (InterruptedException e) {
      execution.kill();
      throw e;
    } finally {
      watch.close();
      control.ended(execution);
    }
    for (String l : stdout.flush()) {
      transcript.line(OutputStream.STDOUT, l);
      launch.reader().onLine(OutputStream.STDOUT, l, sink);
    }
    for (String l : stderr.flush()) {
      transcript.line(OutputStream.STDERR, l);
      launch.reader().onLine(OutputStream.STDERR, l, sink);
    }
    EndedProcesses.report(exit, "the critic", node.id, masker, transcript::line, coordinator::emit);
    AgentResult raw = launch.reader().finish(exit);
    AgentResult result =
        new AgentResult(
            raw.outcome(),
            masker.mask(raw.output()),
            raw.usage(),
            raw.sessionId(),
            masker.mask(raw.message()),
            raw.retryAfter());
    String over = coordinator.commitUsage(node, result.usage());
    spent.accept(result.usage());
    if (over != null) {
      control.stop(NodeStatus.BUDGET_EXCEEDED, over);
    }
    if (control.isStopped()) {
      return null;
    }
    if (watch.reason().isPresent()) {
      return AgentResult.failed(watch.reason().orElseThrow(), result.output(), result.usage());
    }
    return result;
  }

  /** The node as the critic's agent sees it: its model and CLI options only if it is the same. */
  private NodeSpec spec(String agent, String model) {
    boolean same = agent.equals(node.agent());
    NodeSpec.Builder b =
        nodeSpec.toBuilder()
            .agent(agent)
            .checks(List.of())
            .outputs(null)
            .model(model != null ? model : same ? nodeSpec.model() : null);
    if (!same) {
      b.args(null).endpoint(null).price(null);
    } else if (model != null && !model.equals(nodeSpec.model())) {
      b.price(null);
    }
    return b.build();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e.getMessage() + "; check free space and permissions", e);
    }
  }

  /** The critic's output lines, already masked, each prefixed by its stream. Thread-safe. */
  private static final class Transcript implements AutoCloseable {
    private final BufferedWriter out;
    private IOException failure;

    Transcript(Path file) throws IOException {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    synchronized void line(OutputStream stream, String line) {
      if (failure != null) {
        return;
      }
      try {
        out.write(stream.wireName());
        out.write("| ");
        out.write(line);
        out.write('\n');
      } catch (IOException e) {
        failure = e;
      }
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
