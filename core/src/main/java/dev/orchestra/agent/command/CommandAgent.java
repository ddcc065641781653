package dev.orchestra.agent.command;

import dev.orchestra.OrchestraException;
import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.exec.ProcessLabels;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.workflow.CommandSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code command} agent (docs/workflow.md): runs the node's {@code command} (an argv list, or a
 * string for {@code sh -c}) in the workspace.
 *
 * <p>The process gets the prompt on standard input and in the file named by {@code
 * ORCHESTRA_PROMPT_FILE}; the previous attempt's failure in {@code ORCHESTRA_FEEDBACK_FILE} (an
 * empty file on the first attempt); {@code ORCHESTRA_RUN}, {@code ORCHESTRA_NODE} and {@code
 * ORCHESTRA_ATTEMPT}; and {@code ORCHESTRA_OUTPUT_FILE}, a path in the attempt directory where it
 * may write its final output (otherwise its stdout is the output). The request's environment (node
 * {@code env}, credentials) is applied on top. Stateless and thread-safe.
 */
public final class CommandAgent implements Agent {

  /** The name in workflow files. */
  public static final String NAME = "command";

  static final String PROMPT_FILE = "prompt.txt";
  static final String FEEDBACK_FILE = "feedback.txt";
  static final String OUTPUT_FILE = "output.txt";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Writes the prompt and feedback files into the attempt directory and describes the process.
   *
   * @throws LaunchException when the node has no {@code command}
   * @throws OrchestraException when the attempt directory cannot be written
   */
  @Override
  public AgentLaunch prepare(AgentRequest request) {
    CommandSpec command = request.node().command();
    if (command == null) {
      throw new LaunchException(
          "node '"
              + request.nodeId()
              + "' uses agent 'command' but has no 'command' key;"
              + " add one, e.g. command: [make, test] or command: \"make test\"");
    }
    Path dir = request.attemptDir();
    Path promptFile = dir.resolve(PROMPT_FILE);
    Path feedbackFile = dir.resolve(FEEDBACK_FILE);
    Path outputFile = dir.resolve(OUTPUT_FILE);
    try {
      Files.createDirectories(dir);
      Files.writeString(promptFile, nullToEmpty(request.prompt()), StandardCharsets.UTF_8);
      Files.writeString(feedbackFile, nullToEmpty(request.feedback()), StandardCharsets.UTF_8);
      // A stale output file would pass for this attempt's output.
      Files.deleteIfExists(outputFile);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write the prompt files of node '"
              + request.nodeId()
              + "' into '"
              + dir
              + "': "
              + e.getMessage()
              + "; check that the runs directory is writable",
          e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ORCHESTRA_RUN", request.runId());
    env.put("ORCHESTRA_NODE", request.nodeId());
    env.put("ORCHESTRA_ATTEMPT", Integer.toString(request.attempt()));
    env.put("ORCHESTRA_PROMPT_FILE", promptFile.toAbsolutePath().toString());
    env.put("ORCHESTRA_FEEDBACK_FILE", feedbackFile.toAbsolutePath().toString());
    env.put("ORCHESTRA_OUTPUT_FILE", outputFile.toAbsolutePath().toString());
    env.putAll(request.env());
    Map<String, String> labels =
        ProcessLabels.ofAttempt(request.runId(), request.nodeId(), request.attempt());
    var process = new ProcessSpec(command.toArgv(), request.workspace(), env, promptFile, labels);
    return new AgentLaunch(process, new CommandOutputReader(outputFile));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
