package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.store.sql.SqlOptions;
import dev.orchestra.store.sql.SqlRunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code orchestra runs import}: the CLI's records into the default SQLite database, once. */
class RunsImportCommandTest {
  @TempDir Path dir;

  private CliRun importing(String... args) {
    Map<String, String> env = Map.of("ORCHESTRA_HOME", dir.resolve("home").toString());
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    return CliRun.of(
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            return cls == RunsImportCommand.class
                ? cls.cast(new RunsImportCommand(env))
                : defaults.create(cls);
          }
        },
        args);
  }

  @Test
  void importsTheRecordedRunsOnceAndSaysWhichItSkipsTheSecondTime() throws IOException {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        version: 1
        name: demo
        defaults: {agent: command}
        nodes:
          build:
            command: echo compiled
            outputs: {version: {file: VERSION}}
          test:
            needs: [build]
            command: echo 1.2 > VERSION; echo tested
        """);
    String runs = dir.resolve("work/.orchestra/runs").toString();
    CliRun run = CliRun.of("run", flow.toString(), "--runs-dir", runs);
    String runId = RunsCommandTest.runId(run.out());

    CliRun first = importing("runs", "import", dir.resolve("work").toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("imported " + runId + " (")
        .contains("1 of 1 runs imported from " + runs + " into jdbc:sqlite:");

    CliRun again = importing("runs", "import", runs);
    assertThat(again.out())
        .contains("skipped  " + runId + ": already in the database")
        .contains("0 of 1 runs imported");

    FileRunStore files = FileRunStore.at(Path.of(runs));
    try (SqlRunStore db =
        SqlRunStore.open(
            SqlOptions.resolve(null, Map.of("ORCHESTRA_HOME", dir.resolve("home").toString()))
                .build())) {
      assertThat(db.find(runId)).isEqualTo(files.find(runId));
      assertThat(db.events(runId)).isEqualTo(files.events(runId));
      assertThat(db.result(runId)).isEqualTo(files.result(runId));
      for (String node : new String[] {"build", "test"}) {
        assertThat(db.attempts(runId, node)).isEqualTo(files.attempts(runId, node));
      }
    }
  }

  @Test
  void refusesADirectoryThatIsNotThere() {
    CliRun r = importing("runs", "import", dir.resolve("nowhere").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("no directory " + dir.resolve("nowhere"));
  }
}
