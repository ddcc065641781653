package dev.orchestra.cli;

import dev.orchestra.secret.CredentialStore;
import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.auth.TokenInfo;
import dev.orchestra.server.auth.TokenStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra tokens create NAME --scope read|run|admin | list | revoke NAME}: the API tokens
 * of {@code orchestra serve}, kept hashed in {@code $ORCHESTRA_HOME/tokens.json}. A token's secret
 * is printed once, by {@code create}, and stored nowhere.
 */
@Command(
    name = "tokens",
    description = {
      "Manage the API tokens of 'orchestra serve' (kept hashed under $ORCHESTRA_HOME).",
      "Scopes: read (look), run (also submit, cancel, resume, retry, approve, save workflows),"
          + " admin (also delete)."
    },
    subcommands = {
      TokensCommand.Create.class,
      TokensCommand.ListTokens.class,
      TokensCommand.Revoke.class
    })
final class TokensCommand implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> env;

  TokensCommand() {
    this(System.getenv());
  }

  TokensCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  TokenStore store() {
    return FileTokenStore.in(CredentialStore.home(env));
  }

  @Command(name = "create", description = "Create a token and print its secret, once.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokensCommand parent;
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "NAME",
        description = "Who or what uses it; approvals are recorded under it.")
    String name;

    @Option(
        names = "--scope",
        required = true,
        paramLabel = "read|run|admin",
        description = "What it may do.")
    String scope;

    @Override
    public Integer call() {
      TokenStore.Created created = parent.store().create(name, Scope.fromWire(scope));
      PrintWriter out = spec.commandLine().getOut();
      out.println(created.secret());
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "token '"
              + name
              + "' (scope "
              + scope
              + ") created; the secret above is shown only now: keep it somewhere safe");
      err.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "list", description = "List the tokens: name, scope, created (never secrets).")
  static final class ListTokens implements Callable<Integer> {
    @ParentCommand TokensCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<TokenInfo> all = parent.store().list();
      if (all.isEmpty()) {
        out.println("no tokens; create one with: orchestra tokens create NAME --scope read");
      } else {
        int width = Math.max(4, all.stream().mapToInt(t -> t.name().length()).max().orElse(4));
        out.printf("%-" + width + "s  %-5s  %s%n", "NAME", "SCOPE", "CREATED");
        for (TokenInfo t : all) {
          out.printf("%-" + width + "s  %-5s  %s%n", t.name(), t.scope().wireName(), t.created());
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a token: requests with it are refused at once.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand TokensCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      if (!parent.store().revoke(name)) {
        spec.commandLine()
            .getErr()
            .println(
                "orchestra: error: no token named '"
                    + name
                    + "'; orchestra tokens list shows them");
        spec.commandLine().getErr().flush();
        return ExitCode.INVALID;
      }
      spec.commandLine().getOut().println("token '" + name + "' revoked");
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
  }
}
