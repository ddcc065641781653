package dev.orchestra.agents;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.AgentRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file in an attempt's directory that an agent CLI reads its prompt from on standard input.
 * Prompts do not go on the command line: one argument may not exceed 128 KiB on Linux, a prompt
 * with context files easily does, and {@code ps} would show it. A file (not a pipe) also puts the
 * CLI's standard input at end-of-file once read, which Codex needs. Stateless.
 */
public final class PromptFile {

  private PromptFile() {}

  /**
   * Writes {@code prompt} (empty for {@code null}) to {@code name} in the attempt directory.
   *
   * @return the file, for {@link dev.orchestra.exec.ProcessSpec#stdin()}
   * @throws OrchestraException when it cannot be written
   */
  public static Path write(AgentRequest request, String name, String prompt) {
    Path file = request.attemptDir().resolve(name);
    try {
      Files.createDirectories(request.attemptDir());
      Files.writeString(file, prompt == null ? "" : prompt, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw AgentHome.unwritable(
          "write the prompt of node '" + request.nodeId() + "' to '" + file + "'", e);
    }
    return file;
  }
}
