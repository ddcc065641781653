package dev.orchestra.server;

/** Small workflows the tests run with the command agent. */
final class Workflows {
  private Workflows() {}

  /** Two nodes, {@code b} after {@code a}, each printing a line. */
  static String pair(String name) {
    return "version: 1\n"
        + "name: "
        + name
        + "\n"
        + "inputs:\n"
        + "  word: {default: hello}\n"
        + "nodes:\n"
        + "  a:\n"
        + "    agent: command\n"
        + "    prompt: a-{{ inputs.word }}\n"
        + "    command: [cat]\n"
        + "  b:\n"
        + "    needs: [a]\n"
        + "    agent: command\n"
        + "    command: [sh, -c, 'echo b']\n";
  }

  /** A node behind an approval gate, then one after it. */
  static String gated(String name) {
    return "version: 1\n"
        + "name: "
        + name
        + "\n"
        + "nodes:\n"
        + "  gate:\n"
        + "    agent: command\n"
        + "    command: [sh, -c, 'echo approved-work']\n"
        + "    approval: {message: \"Ship it?\"}\n"
        + "  after:\n"
        + "    needs: [gate]\n"
        + "    agent: command\n"
        + "    command: [sh, -c, 'echo after']\n";
  }

  /** A node that fails once unless a marker file exists, to be retried. */
  static String failsUntil(String name, java.nio.file.Path marker) {
    return "version: 1\n"
        + "name: "
        + name
        + "\n"
        + "nodes:\n"
        + "  flaky:\n"
        + "    agent: command\n"
        + "    attempts: 1\n"
        + "    command: [sh, -c, 'test -e "
        + marker
        + " && echo fixed']\n"
        + "  next:\n"
        + "    needs: [flaky]\n"
        + "    agent: command\n"
        + "    command: [sh, -c, 'echo next']\n";
  }
}
