package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.check.AgentCall;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.OutputStream;
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
import java.util.function.Consumer;

/**
 * The {@link AgentCall} of one critic check of one attempt: runs the critic's agent like an attempt
 * of the node, on the node's executor (so a stop of the node kills it), under the node's timeouts,
 * with the node's credentials exposed as the critic agent's CLI expects, its output masked, and its
 * usage counted in the node's and the run's usage and budgets. Its files go to {@code critic-N/} in
 * the attempt's directory: {@code prompt.txt}, {@code transcript.log} (stdout, stderr lines
 * prefixed by the stream, capped as an attempt's records are: {@link CappedOutput}) and {@code
 * answer.txt}. Used by the node's thread only.
 */
final class CriticCall implements AgentCall {
  /** Set in the critic's environment, so that a {@code command} critic can tell it is one. */
  static final String CRITIC_VARIABLE = "ORCHESTRA_CRITIC";

  private final NodeSupervisor supervisor;
  private final PreparedNode node;
  private final int attempt;
  private final Path dir;
  private final Path agentDir;
  private final Executor executor;
  private final Consumer<Usage> spent;

  /**
   * @param dir the critic's directory, {@code critic-N} in the attempt's
   * @param agentDir the directory its agent writes in, {@code critic-N} in the attempt's scratch
   * @param executor the node's executor (tracked and recording)
   * @param spent told the usage of each critic run, after it was added to the node's
   */
  CriticCall(
      NodeSupervisor supervisor,
      PreparedNode node,
      int attempt,
      Path dir,
      Path agentDir,
      Executor executor,
      Consumer<Usage> spent) {
    this.supervisor = supervisor;
    this.node = node;
    this.attempt = attempt;
    this.dir = dir;
    this.agentDir = agentDir;
    this.executor = executor;
    this.spent = spent;
  }

  @Override
  public Reply ask(String agentName, String model, String prompt) {
    RunContext run = supervisor.run();
    SecretMasker masker = run.masker();
    GraphNode n = node.node();
    String name = agentName != null ? agentName : n.agent();
    AgentLaunch launch;
    try {
      Agent agent = AgentProcess.find(run.services().agents(), name);
      // The node's env without its credentials: those are exposed as the critic's CLI expects.
      Map<String, String> all = new LinkedHashMap<>(node.env());
      all.putAll(
          NodeCredentials.resolve(
              n.id, name, n.spec.credentialsOrEmpty(), run.services().credentials(), masker));
      all.put(CRITIC_VARIABLE, "1");
      Files.createDirectories(dir);
      Files.createDirectories(agentDir);
      Files.writeString(dir.resolve("prompt.txt"), masker.mask(prompt), StandardCharsets.UTF_8);
      launch =
          agent.prepare(
              new AgentRequest(
                  run.runId(),
                  n.id,
                  attempt,
                  spec(name, model),
                  prompt,
                  null,
                  null,
                  node.workspace(),
                  agentDir,
                  all));
    } catch (OrchestraException e) {
      return Reply.failed(e.getMessage());
    } catch (IOException e) {
      return Reply.failed("cannot write the critic's files into " + dir + ": " + e.getMessage());
    }
    AgentProcess.Ended ended;
    try (Transcript transcript = new Transcript(dir.resolve("transcript.log"))) {
      // The critic's words are in its transcript; the node's live output stays the node's.
      CappedOutput.Attempt output =
          new CappedOutput.Attempt(
              CappedOutput.logs(n.spec, node.files().trust()),
              transcript::line,
              (stream, text) -> {});
      try {
        ended =
            new AgentProcess(supervisor, n, node.control())
                .run(name, "the critic", executor, launch, output::record, output::event, spent);
      } finally {
        output.finish();
      }
    } catch (IOException e) {
      return Reply.failed("cannot record the critic's transcript in " + dir + ": " + e);
    }
    AgentResult result = ended.result();
    if (ended instanceof AgentProcess.Ended.Completed) {
      write(dir.resolve("answer.txt"), result.output());
      return Reply.answered(result.output());
    }
    if (ended instanceof AgentProcess.Ended.Stopped) {
      return Reply.failed(node.control().reason());
    }
    if (ended instanceof AgentProcess.Ended.TimedOut t) {
      return Reply.failed(t.reason());
    }
    if (ended instanceof AgentProcess.Ended.RateLimited r) {
      return Reply.failed(r.reason());
    }
    if (ended instanceof AgentProcess.Ended.Refused r) {
      return Reply.failed(r.message());
    }
    if (ended instanceof AgentProcess.Ended.Failed f) {
      return Reply.failed(f.message());
    }
    throw new IllegalStateException("an agent's process cannot end as " + ended);
  }

  /** The node as the critic's agent sees it: its model and CLI options only if it is the same. */
  private NodeSpec spec(String agent, String model) {
    NodeSpec nodeSpec = node.agentSpec();
    boolean same = agent.equals(node.node().agent());
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
