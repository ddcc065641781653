package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run recorded through the real CLI for the report tests: seven {@code command} nodes where
 * {@code build} fails its check once and then passes, {@code test} fails its check on both attempts
 * (with ANSI colours and markup in its output), and {@code deploy}, which needs it, is skipped.
 *
 * @param runsDir the runs directory
 * @param runId the run's id
 */
record RecordedRun(Path runsDir, String runId) {

  static final String WORKFLOW =
      """
      version: 1
      name: release
      description: Build, test and ship <the app> & its docs
      defaults: {agent: command, attempts: 2, backoff: {delay: 10ms}}
      nodes:
        plan:
          command: echo planned
        build:
          needs: [plan]
          command: echo compiled 3 classes
          checks:
            - name: compiles
              run: |
                test -f MARKER || { touch MARKER; echo 'Main.java:3: error: missing semicolon'; exit 1; }
        lint:
          needs: [plan]
          command: echo linted
        docs:
          needs: [plan]
          command: echo documented
        test:
          needs: [build]
          command: echo testing attempt $ORCHESTRA_ATTEMPT
          checks:
            - name: unit tests
              run: |
                printf '\\033[31mFAILED\\033[0m CartTest <total> expected 42 but was 41\\n'; exit 1
        package:
          needs: [build, lint]
          command: echo packaged
        deploy:
          needs: [test, package]
          command: echo never
      """;

  /** Runs the workflow in {@code dir} (its runs under {@code dir/runs}); the run fails. */
  static RecordedRun in(Path dir) throws IOException {
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file, WORKFLOW.replace("MARKER", dir.resolve("built-once").toAbsolutePath().toString()));
    Path runs = dir.resolve("runs");
    CliRun r = CliRun.of("run", file.toString(), "--runs-dir", runs.toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    return new RecordedRun(runs, RunsCommandTest.runId(r.out()));
  }

  /** {@code orchestra report RUN ARGS... --runs-dir DIR}. */
  CliRun report(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "report";
    all[1] = runId;
    System.arraycopy(args, 0, all, 2, args.length);
    all[args.length + 2] = "--runs-dir";
    all[args.length + 3] = runsDir.toString();
    return CliRun.of(all);
  }
}
