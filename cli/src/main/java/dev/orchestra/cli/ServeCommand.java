package dev.orchestra.cli;

import dev.orchestra.secret.CredentialStore;
import dev.orchestra.server.OrchestraServer;
import dev.orchestra.server.auth.FileTokenStore;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.auth.TokenStore;
import dev.orchestra.store.sql.SqlOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra serve}: the server (REST API, event streams, web UI) until SIGTERM or Ctrl-C,
 * which stop it gracefully: the running runs are cancelled and resumed by the next start. A first
 * start with no token creates an {@code admin} token and prints it once.
 */
@Command(
    name = "serve",
    description = {
      "Run the Orchestra server: the REST API under /api/v1, live events, the web UI.",
      "Runs, stored workflows and tokens live under $ORCHESTRA_HOME (default ~/.orchestra).",
      "SIGTERM or Ctrl-C stops it; runs it cancels then are resumed by the next start."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "The port to listen on (0 picks a free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDR",
      description =
          "The address to listen on. Default: ${DEFAULT-VALUE} (this machine only); 0.0.0.0"
              + " for every interface.")
  String bind;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "The database to record runs in (jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB)."
              + " Default: SQLite in $ORCHESTRA_HOME/orchestra.db. A PostgreSQL password comes"
              + " from the credential 'db' or ORCHESTRA_DB_PASSWORD, never from the URL.")
  String db;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "1048576",
      description = "The largest request body accepted (413 above). Default: ${DEFAULT-VALUE}.")
  long maxBodyBytes;

  private final Map<String, String> env;

  ServeCommand() {
    this(System.getenv());
  }

  ServeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path home = CredentialStore.home(env);
    TokenStore tokens = FileTokenStore.in(home);
    OrchestraServer server =
        OrchestraServer.builder()
            .home(home)
            .bind(bind)
            .port(port)
            .tokens(tokens)
            .database(SqlOptions.resolve(db, env).build())
            .maxBodyBytes(maxBodyBytes)
            .environment(env)
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "orchestra-serve-shutdown");
    server.start();
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("orchestra serve: listening on " + server.url());
    out.println("  API: " + server.url().resolve("api/v1/openapi.json") + "  home: " + home);
    if (tokens.list().isEmpty()) {
      TokenStore.Created admin = tokens.create("admin", Scope.ADMIN);
      out.println("  a first token, shown once (scope admin): " + admin.secret());
      out.println("  log in to the web UI with it; make more with orchestra tokens create");
    }
    out.flush();
    stopped.await();
    return ExitCode.OK;
  }
}
