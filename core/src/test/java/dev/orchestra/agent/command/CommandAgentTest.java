package dev.orchestra.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.LocalExecutor;
import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandAgentTest {
  private final CommandAgent agent = new CommandAgent();
  private final LocalExecutor executor = new LocalExecutor();
  private final RecordingSink sink = new RecordingSink();
  @TempDir Path workspace;
  @TempDir Path attemptDir;

  private AgentRequest request(CommandSpec command, String prompt, String feedback, int attempt) {
    NodeSpec node = NodeSpec.builder("build").agent("command").command(command).build();
    return new AgentRequest(
        "run-1",
        "build",
        attempt,
        node,
        prompt,
        feedback,
        null,
        workspace,
        attemptDir,
        Map.of("NODE_SETTING", "on"));
  }

  private AgentResult run(AgentRequest request) throws InterruptedException {
    AgentLaunch launch = agent.prepare(request);
    Execution execution =
        executor.start(
            launch.process(), (stream, line) -> launch.reader().onLine(stream, line, sink));
    return launch.reader().finish(execution.await());
  }

  @Test
  void isNamedCommand() {
    assertThat(agent.name()).isEqualTo("command");
  }

  @Test
  void givesThePromptOnStdinAndInThePromptFile() throws Exception {
    AgentResult result =
        run(
            request(
                CommandSpec.shell(
                    "echo \"stdin: $(cat)\"; echo \"file: $(cat \"$ORCHESTRA_PROMPT_FILE\")\""),
                "Write PLAN.md",
                null,
                1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.COMPLETED);
    assertThat(result.output()).isEqualTo("stdin: Write PLAN.md\nfile: Write PLAN.md");
    assertThat(sink.lines)
        .containsExactly("stdout: stdin: Write PLAN.md", "stdout: file: Write PLAN.md");
  }

  @Test
  void passesRunNodeAttemptAndTheRequestEnvironmentInTheWorkspace() throws Exception {
    AgentResult result =
        run(
            request(
                CommandSpec.argv(
                    List.of(
                        "sh",
                        "-c",
                        "echo $ORCHESTRA_RUN $ORCHESTRA_NODE $ORCHESTRA_ATTEMPT $NODE_SETTING;"
                            + " pwd -P")),
                "p",
                "f",
                2));

    assertThat(result.output()).isEqualTo("run-1 build 2 on\n" + workspace.toRealPath());
  }

  @Test
  void writesAnEmptyFeedbackFileOnTheFirstAttemptAndTheFailureAfterwards() throws Exception {
    CommandSpec showFeedback =
        CommandSpec.shell("printf '[%s]' \"$(cat \"$ORCHESTRA_FEEDBACK_FILE\")\"");

    assertThat(run(request(showFeedback, "p", null, 1)).output()).isEqualTo("[]");
    assertThat(run(request(showFeedback, "p", "check 'exists: PLAN.md' failed", 2)).output())
        .isEqualTo("[check 'exists: PLAN.md' failed]");
  }

  @Test
  void takesTheOutputFileOverStdoutWhenWritten() throws Exception {
    AgentResult result =
        run(
            request(
                CommandSpec.shell(
                    "echo chatter; printf 'final answer\\n' > \"$ORCHESTRA_OUTPUT_FILE\""),
                "p",
                null,
                1));

    assertThat(result.output()).isEqualTo("final answer");
    assertThat(result.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  void doesNotMistakeAStaleOutputFileForThisAttemptsOutput() throws Exception {
    run(request(CommandSpec.shell("echo old > \"$ORCHESTRA_OUTPUT_FILE\""), "p", null, 1));

    AgentResult second = run(request(CommandSpec.shell("echo fresh"), "p", null, 2));

    assertThat(second.output()).isEqualTo("fresh");
  }

  @Test
  void failsWithTheExitCodeAndTheStderrTail() throws Exception {
    AgentResult result =
        run(
            request(
                CommandSpec.shell("echo partial; echo 'boom: disk full' >&2; exit 4"),
                "p",
                null,
                1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(result.message()).isEqualTo("command exited with code 4\nboom: disk full");
    assertThat(result.output()).isEqualTo("partial");
    assertThat(sink.lines).contains("stderr: boom: disk full");
  }

  @Test
  void rejectsANodeWithoutCommand() {
    NodeSpec node = NodeSpec.builder("build").agent("command").build();
    var request =
        new AgentRequest("r", "build", 1, node, "p", null, null, workspace, attemptDir, Map.of());

    assertThatThrownBy(() -> agent.prepare(request))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'build'")
        .hasMessageContaining("command:");
  }

  @Test
  void reportsAMissingProgramAsALaunchFailure() {
    AgentLaunch launch =
        agent.prepare(request(CommandSpec.argv(List.of("no-such-agent-cli")), "p", null, 1));

    assertThatThrownBy(() -> executor.start(launch.process(), (s, l) -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("no-such-agent-cli");
    assertThat(Files.exists(attemptDir.resolve(CommandAgent.PROMPT_FILE))).isTrue();
  }

  /** Records live output as "stream: text". */
  static final class RecordingSink implements AgentSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void output(String stream, String text) {
      lines.add(stream + ": " + text);
    }

    @Override
    public void usage(Usage soFar) {
      throw new AssertionError("the command agent reports no usage");
    }
  }
}
