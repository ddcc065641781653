package dev.orchestra.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds the agent CLIs the integration tests run, as installed by {@code bin/install-agent-clis}:
 * {@code ORCHESTRA_<PROGRAM>_BIN}, else the directory in system property {@code
 * orchestra.agentClis} or variable {@code ORCHESTRA_AGENT_CLIS}, else the script's default bin
 * directory. A missing CLI fails the test with the command that installs it: CI must run these
 * tests, never skip them.
 */
public final class AgentClis {

  private AgentClis() {}

  public static Path claude() {
    return find("claude");
  }

  public static Path codex() {
    return find("codex");
  }

  public static Path gemini() {
    return find("gemini");
  }

  /** The program, or an {@link AssertionError} naming how to install it. */
  public static Path find(String program) {
    String explicit = System.getenv(variable(program));
    if (explicit != null && !explicit.isBlank()) {
      return check(Path.of(explicit), program);
    }
    String dir = System.getProperty("orchestra.agentClis");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("ORCHESTRA_AGENT_CLIS");
    }
    if (dir == null || dir.isBlank()) {
      String cache = System.getenv("ORCHESTRA_CACHE");
      Path base =
          cache != null && !cache.isBlank()
              ? Path.of(cache)
              : Path.of(System.getProperty("user.home"), ".cache", "orchestra");
      dir = base.resolve("agent-clis").resolve("bin").toString();
    }
    return check(Path.of(dir).resolve(program), program);
  }

  /**
   * {@code ORCHESTRA_<PROGRAM>_BIN}, the variable the agents' {@code AgentCli} reads (this module
   * cannot depend on the agents module, whose tests use it; {@code AgentCliTest} keeps the two
   * equal).
   */
  public static String variable(String program) {
    return "ORCHESTRA_" + program.toUpperCase(Locale.ROOT).replace('-', '_') + "_BIN";
  }

  private static Path check(Path path, String program) {
    if (!Files.isExecutable(path)) {
      throw new AssertionError(
          "the "
              + program
              + " CLI is not installed at "
              + path
              + "; run `bin/install-agent-clis "
              + program
              + "` (bin/test does it) or set "
              + variable(program));
    }
    return path;
  }
}
