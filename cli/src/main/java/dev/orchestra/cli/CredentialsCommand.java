package dev.orchestra.cli;

import dev.orchestra.secret.CredentialStore;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.workflow.parse.Suggestions;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra credentials add|list|remove NAME}: the secrets of the {@link CredentialStore} in
 * the Orchestra home ({@code ORCHESTRA_HOME}, default {@code ~/.orchestra}). {@code add} reads the
 * value from a hidden prompt on a terminal and from standard input otherwise, so that the value is
 * never a command-line argument (visible in {@code ps} and shell history). Values are never
 * printed.
 */
@Command(
    name = "credentials",
    description = {
      "Manage the secrets that nodes receive through 'credentials:'.",
      "Values are stored encrypted under $ORCHESTRA_HOME (default ~/.orchestra) and never printed.",
      "A credential NAME can also come from the environment variable ORCHESTRA_CREDENTIAL_NAME."
    },
    subcommands = {
      CredentialsCommand.Add.class,
      CredentialsCommand.ListNames.class,
      CredentialsCommand.Remove.class
    })
final class CredentialsCommand implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final Supplier<Console> console;
  private final InputStream stdin;

  /** The command as the {@code orchestra} binary runs it. */
  CredentialsCommand() {
    this(System.getenv(), System::console, System.in);
  }

  /** The command with a given environment, terminal (may answer null) and standard input. */
  CredentialsCommand(Map<String, String> env, Supplier<Console> console, InputStream stdin) {
    this.env = env;
    this.console = console;
    this.stdin = stdin;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  CredentialStore store() {
    return CredentialStore.at(CredentialStore.home(env));
  }

  @Command(
      name = "add",
      description = {
        "Store a credential. The value is read from a hidden prompt on a terminal, else from"
            + " standard input (one trailing newline is dropped):",
        "  printf %s \"$TOKEN\" | orchestra credentials add NAME"
      })
  static final class Add implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.ParentCommand CredentialsCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Letters, digits, '_', '.' and '-'.")
    String name;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (!CredentialStore.isValidName(name)) {
        err.println(
            "orchestra: error: bad credential name '"
                + name
                + "'; use letters, digits, '_', '.' and '-' only, e.g. anthropic or deploy-token");
        return ExitCode.INVALID;
      }
      String value = parent.readValue(name);
      if (value.isEmpty()) {
        err.println(
            "orchestra: error: the value of credential '"
                + name
                + "' is empty; type it at the prompt or pipe it in:"
                + " printf %s \"$TOKEN\" | orchestra credentials add "
                + name);
        return ExitCode.INVALID;
      }
      CredentialStore store = parent.store();
      store.put(name, value);
      spec.commandLine()
          .getOut()
          .println("stored credential '" + name + "' in " + store.directory());
      if (value.length() < SecretMasker.MIN_LENGTH) {
        err.println(
            "orchestra: warning: credential '"
                + name
                + "' is "
                + value.length()
                + " characters long; values shorter than "
                + SecretMasker.MIN_LENGTH
                + " are not masked in output and records (see docs/security.md)");
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "list", description = "Print the names of the stored credentials (never values).")
  static final class ListNames implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.ParentCommand CredentialsCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      parent.store().names().forEach(out::println);
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "remove", description = "Delete a stored credential.")
  static final class Remove implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.ParentCommand CredentialsCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      CredentialStore store = parent.store();
      if (CredentialStore.isValidName(name) && store.remove(name)) {
        spec.commandLine().getOut().println("removed credential '" + name + "'");
        return ExitCode.OK;
      }
      var names = store.names();
      String hint =
          Suggestions.closest(name, names)
              .map(s -> "did you mean '" + s + "'? ")
              .orElse(names.isEmpty() ? "no credentials are stored. " : "");
      spec.commandLine()
          .getErr()
          .println(
              "orchestra: error: no credential '"
                  + name
                  + "'; "
                  + hint
                  + "`orchestra credentials list` shows the stored names");
      return ExitCode.INVALID;
    }
  }

  /** The value to store: from a hidden prompt on a terminal, else all of standard input. */
  private String readValue(String name) {
    Console terminal = console.get();
    if (terminal != null) {
      char[] typed = terminal.readPassword("Value of credential '%s' (hidden): ", name);
      if (typed == null) {
        return "";
      }
      String value = new String(typed);
      Arrays.fill(typed, '\0');
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      stdin.transferTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the credential value from standard input", e);
    }
    String value = bytes.toString(StandardCharsets.UTF_8);
    if (value.endsWith("\r\n")) {
      return value.substring(0, value.length() - 2);
    }
    return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
  }
}
