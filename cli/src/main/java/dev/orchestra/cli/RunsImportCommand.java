package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.store.sql.RunImport;
import dev.orchestra.store.sql.SqlOptions;
import dev.orchestra.store.sql.SqlRunStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code orchestra runs import DIR [--db URL]}: copies the runs the CLI recorded in a directory
 * into the SQL store a server uses ({@link RunImport}); runs already there are skipped and said so.
 */
@Command(
    name = "import",
    description = {
      "Import the runs recorded in DIR (a .orchestra/runs directory, or a directory holding one)"
          + " into the database. Runs already in the database are skipped, so importing again is"
          + " safe.",
      "The database is SQLite in $ORCHESTRA_HOME/orchestra.db unless --db names another; a"
          + " PostgreSQL password comes from the credential 'db' or ORCHESTRA_DB_PASSWORD."
    })
final class RunsImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand RunsCommand parent;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "Where the runs are (default: --runs-dir, $ORCHESTRA_RUNS, ./.orchestra/runs).")
  Path dir;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "The database: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE (no password"
              + " in it; default: SQLite in $ORCHESTRA_HOME/orchestra.db).")
  String db;

  private final Map<String, String> env;

  RunsImportCommand() {
    this(System.getenv());
  }

  RunsImportCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FileRunStore source =
        dir == null ? RunsLocation.store(parent.runsDir, env) : FileRunStore.at(runsDirectory(dir));
    try (SqlRunStore target = SqlRunStore.open(SqlOptions.resolve(db, env).build())) {
      List<RunImport.Report> reports = new RunImport(source, target).all();
      int imported = 0;
      for (RunImport.Report r : reports) {
        switch (r.outcome()) {
          case IMPORTED -> {
            imported++;
            out.println("imported " + r.runId() + " (" + r.events() + " events)");
          }
          case ALREADY_THERE -> out.println("skipped  " + r.runId() + ": already in the database");
          case RUNNING ->
              out.println(
                  "skipped  " + r.runId() + ": it is running; import it again after it ends");
        }
      }
      out.println(
          imported
              + " of "
              + reports.size()
              + " runs imported from "
              + source.directory()
              + " into "
              + target.describe());
      out.flush();
    }
    return ExitCode.OK;
  }

  /** {@code DIR/.orchestra/runs} when there is one, else {@code DIR} itself. */
  private static Path runsDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new OrchestraException(
          "no directory " + dir + "; give the .orchestra/runs directory to import");
    }
    Path nested = dir.resolve(FileRunStore.RUNS);
    return Files.isDirectory(nested) ? nested : dir;
  }
}
