package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourcePosition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ErrorReporterTest {

  /** A command that fails the way a broken command would, to exercise the top-level handler. */
  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Option(names = "--debug")
    boolean debug;

    @Option(names = "--invalid")
    boolean invalid;

    @Override
    public Integer call() {
      if (invalid) {
        throw new OrchestraException.InvalidWorkflowException(
            List.of(
                new Problem(new SourcePosition(Path.of("flow.yaml"), 3, 5), "unknown node 'x'")));
      }
      throw new OrchestraException(
          "cannot write the run record to .orchestra/runs/1; check that the directory is writable",
          new UncheckedIOException(new IOException("Permission denied")));
    }
  }

  private static CliRun run(String... args) {
    StringWriter err = new StringWriter();
    ErrorReporter reporter = new ErrorReporter();
    CommandLine cmd =
        new CommandLine(new Boom())
            .setExecutionExceptionHandler(reporter)
            .setParameterExceptionHandler(reporter);
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, "", err.toString());
  }

  @Test
  void printsMessageAndCauseChainWithoutStackTrace() {
    CliRun run = run();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("orchestra: error: cannot write the run record to .orchestra/runs/1")
        .contains("  caused by: java.io.IOException: Permission denied (UncheckedIOException)")
        .contains("  caused by: Permission denied (IOException)")
        .contains("run again with --debug")
        .doesNotContain("\tat ");
  }

  @Test
  void debugAddsTheStackTrace() {
    CliRun run = run("--debug");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("orchestra: error: cannot write").contains("\tat ");
  }

  @Test
  void invalidWorkflowPrintsItsProblemsAndExits2() {
    CliRun run = run("--invalid");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("flow.yaml:3:5: error: unknown node 'x'" + System.lineSeparator());
  }
}
