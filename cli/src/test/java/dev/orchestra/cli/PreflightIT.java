package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid workflow that this machine cannot run — a credential nobody stored, an agent CLI that is
 * not there, a Docker image that is not there (or no engine), a workspace repository that does not
 * answer — through the real CLI in a child JVM: {@code run} and {@code run --dry-run} report all
 * four together, each at its line and column, exit 2, and run nothing.
 */
class PreflightIT {
  @TempDir Path dir;

  @BeforeEach
  void writeWorkflow() throws IOException {
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: preflight
        workspace:
          repo: https://127.0.0.1:9/nothing.git
          isolation: branch
        nodes:
          deploy:
            agent: command
            command: [sh, -c, "touch ran"]
            credentials: [{TOKEN: deploy-token}]
          review:
            agent: claude
            prompt: Review it.
          box:
            agent: command
            command: [sh, -c, "touch ran"]
            executor: docker
            image: orchestra-test-missing:none
        """);
  }

  @Test
  void runReportsEveryMissingThingAtItsPositionAndRunsNothing() throws Exception {
    Result run = orchestra("run", "flow.yaml");

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertFourProblems(run.err());
    assertThat(dir.resolve("ran")).doesNotExist();
    assertThat(dir.resolve(".orchestra")).doesNotExist();
  }

  @Test
  void dryRunPrintsThePlanAndTheSameProblems() throws Exception {
    Result run = orchestra("run", "flow.yaml", "--dry-run");

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).contains("plan of workflow preflight: 3 nodes");
    assertFourProblems(run.err());
    assertThat(dir.resolve(".orchestra")).doesNotExist();
  }

  @Test
  void warnsOnceAboutAShortCredentialAndRuns() throws Exception {
    Files.writeString(
        dir.resolve("short.yaml"),
        """
        version: 1
        name: short
        nodes:
          use:
            agent: command
            command: [sh, -c, "touch ran"]
            credentials: [{PIN: pin}]
        """);

    Result run = orchestra(Map.of("ORCHESTRA_CREDENTIAL_PIN", "1234"), "run", "short.yaml");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(dir.resolve("ran")).exists();
    List<String> warnings = run.err().lines().filter(l -> l.contains("'pin'")).toList();
    assertThat(warnings)
        .as(run.err())
        .containsExactly(
            "short.yaml:7:19: warning: credential 'pin' is 4 characters long; values shorter than"
                + " 8 are not masked in output and records");
  }

  private void assertFourProblems(String err) {
    List<String> errors = err.lines().filter(l -> l.contains(": error: ")).toList();
    assertThat(errors).as(err).hasSize(4);
    assertThat(errors.get(0))
        .startsWith("flow.yaml:4:9: error: cannot reach workspace repo 'https://127.0.0.1:9/");
    assertThat(errors.get(1))
        .startsWith(
            "flow.yaml:10:19: error: node 'deploy' needs credential 'deploy-token', which is"
                + " neither in the credential store nor in ORCHESTRA_CREDENTIAL_DEPLOY_TOKEN")
        .endsWith(
            "; add it with `orchestra credentials add deploy-token` or set"
                + " ORCHESTRA_CREDENTIAL_DEPLOY_TOKEN");
    assertThat(errors.get(2))
        .startsWith("flow.yaml:12:5: error: node 'review': ORCHESTRA_CLAUDE_BIN is set to")
        .contains("which is not an executable file");
    assertThat(errors.get(3)).startsWith("flow.yaml:18:5: error: node 'box' cannot run: ");
    assertThat(err).contains("pre-flight: 4 problems to fix before the run can start");
    assertThat(err).doesNotContain("\tat ");
  }

  private record Result(int code, String out, String err) {}

  private Result orchestra(String... args) throws IOException, InterruptedException {
    return orchestra(Map.of(), args);
  }

  private Result orchestra(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(OrchestraProcess.command(args))
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder
        .environment()
        .putAll(
            Map.of(
                "ORCHESTRA_HOME", dir.resolve("home").toString(),
                "ORCHESTRA_CLAUDE_BIN", dir.resolve("no-claude-here").toString()));
    builder.environment().putAll(env);
    Process p = builder.start();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("orchestra did not end in 120 s");
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<String> read(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
