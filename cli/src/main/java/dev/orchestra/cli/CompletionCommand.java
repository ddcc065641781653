package dev.orchestra.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra completion [bash|zsh]}: prints a shell completion script for every command and
 * option. The same script serves zsh through its {@code bashcompinit} emulation, which the script
 * loads itself.
 */
@Command(
    name = "completion",
    description = {
      "Print a shell completion script.",
      "bash: source <(orchestra completion bash)   (add it to ~/.bashrc to keep it)",
      "zsh:  source <(orchestra completion zsh)    (add it to ~/.zshrc to keep it)"
    })
final class CompletionCommand implements Callable<Integer> {
  /** The shells the script supports. */
  enum Shell {
    BASH,
    ZSH;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash or zsh (default: ${DEFAULT-VALUE}).")
  Shell shell;

  @Override
  public Integer call() {
    // One script serves both shells: picocli's script enables bashcompinit when zsh sources it.
    String script = AutoComplete.bash("orchestra", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
