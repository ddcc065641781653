package dev.orchestra.server;

import dev.orchestra.store.sql.SqlOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server in its own JVM for the restart tests: {@code ServerMain HOME PORT_FILE [JDBC_URL BLOBS]}
 * (SQLite in the home, or the database at the URL with the password in {@code
 * ORCHESTRA_DB_PASSWORD} and the user in {@code ORCHESTRA_DB_USER}) starts on port 0, writes the
 * port to {@code PORT_FILE} once it listens (after resuming what a previous server left), and runs
 * until killed; SIGTERM stops it gracefully as {@code orchestra serve} does.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    OrchestraServer server =
        OrchestraServer.builder()
            .home(home)
            .port(0)
            .baseDirectory(home)
            .heartbeat(Duration.ofSeconds(1))
            // A short lease: a killed server's runs are taken over 3 s after its last renewal
            // (-Dorchestra.test.leaseTtl=PT1H for a test that must not rely on the expiry).
            .database(
                (args.length > 2
                        ? SqlOptions.builder(args[2], Path.of(args[3]))
                            .user(System.getenv("ORCHESTRA_DB_USER"))
                            .password(System.getenv("ORCHESTRA_DB_PASSWORD"))
                        : SqlOptions.sqlite(home.resolve("orchestra.db"), home.resolve("blobs")))
                    .leaseTtl(Duration.parse(System.getProperty("orchestra.test.leaseTtl", "PT3S")))
                    .build())
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, Path.of(args[1]));
    Thread.currentThread().join();
  }
}
