package dev.orchestra.workflow;

import java.util.List;

/**
 * The program a {@code command} agent runs: an argv list, or a string for {@code sh -c}.
 *
 * @param argv the arguments, when given as a list; otherwise {@code null}
 * @param shell the shell command, when given as a string; otherwise {@code null}
 */
public record CommandSpec(List<String> argv, String shell) {
  public CommandSpec {
    if ((argv == null) == (shell == null)) {
      throw new IllegalArgumentException("exactly one of argv and shell must be given");
    }
    argv = argv == null ? null : List.copyOf(argv);
    if (argv != null && argv.isEmpty()) {
      throw new IllegalArgumentException("command argv must name a program, was an empty list");
    }
    if (shell != null && shell.isBlank()) {
      throw new IllegalArgumentException(
          "command shell line must not be blank, was \"" + shell + "\"");
    }
  }

  public static CommandSpec argv(List<String> argv) {
    return new CommandSpec(argv, null);
  }

  public static CommandSpec shell(String command) {
    return new CommandSpec(null, command);
  }

  /** The argv to execute: the list itself, or {@code sh -c COMMAND}. */
  public List<String> toArgv() {
    return argv != null ? argv : List.of("sh", "-c", shell);
  }

  @Override
  public String toString() {
    return argv != null ? String.join(" ", argv) : shell;
  }
}
