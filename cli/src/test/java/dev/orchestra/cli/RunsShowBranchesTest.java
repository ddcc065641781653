package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run with {@code isolation: branch}: the summary and {@code runs show} hand over the work. */
class RunsShowBranchesTest {
  @TempDir Path dir;

  @Test
  void summaryAndRunsShowListTheBranchesAndHowToCheckOutTheResult() throws Exception {
    Path repo = dir.resolve("repo");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(repo.resolve("README.md"), "# repo\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("initial").setAuthor("U", "u@example.com").call();
    }
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: branches
        defaults: {agent: command}
        workspace: {repo: "%s", ref: main, isolation: branch}
        nodes:
          write: {command: "echo hello > hello.txt; echo wrote hello"}
        """
            .formatted(repo));
    String runs = dir.resolve("runs").toString();

    CliRun run = CliRun.of("run", file.toString(), "--runs-dir", runs);

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    String runId = RunsCommandTest.runId(run.out());
    String branch = "orchestra/" + runId + "/_result";
    String checkout = "check out the result: git -C " + repo + " checkout " + branch;
    assertThat(run.out())
        .containsPattern("write\\s+orchestra/" + runId + "/write\\s+[0-9a-f]{12}")
        .contains(checkout);

    CliRun show = CliRun.of("runs", "show", runId, "--runs-dir", runs);

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains(branch).contains(checkout);
    assertThat(Files.readString(Path.of(runs, runId, "result.json")))
        .contains("\"branch\"")
        .contains(branch);
  }
}
