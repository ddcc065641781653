package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.KilledRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming a git-workspace run after a real {@code kill -9} of the JVM that ran it. */
class GitResumeIT {
  @TempDir Path dir;
  GitFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new GitFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void resumeKeepsTheBranchesOfSucceededNodesAndDoesNotRedoTheirCommits() throws Exception {
    Path wf =
        f.write(
            "crash.yaml",
            """
            version: 1
            name: crash
            defaults: {agent: command}
            workspace: {repo: ., ref: main, isolation: branch}
            nodes:
              first: {command: "echo first >> first.txt; echo first done"}
              second:
                needs: [first]
                command: 'echo second >> second.txt; if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then echo ready; exec sleep 1000; fi; echo second done'
            """);
    String runId = crash(wf, "ready");
    String prefix = "orchestra/" + runId + "/";
    RevCommit firstBefore = GitFixture.head(f.user, prefix + "first");
    assertThat(firstBefore.getShortMessage()).isEqualTo("orchestra(first): first done");
    // The crashed node's worktree is still there, half done.
    Path worktree = f.store.runDirectory(runId).resolve("git/worktrees/second");
    assertThat(worktree.resolve("second.txt")).exists();

    RunResult result =
        f.engine.resume(runId, RunOptions.defaults()).await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).as(result.reason()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(GitFixture.head(f.user, prefix + "first")).isEqualTo(firstBefore);
    assertThat(GitFixture.file(f.user, prefix + "_result", "first.txt")).isEqualTo("first\n");
    // The rerun started from a fresh worktree, not the crashed one's leftovers.
    assertThat(GitFixture.file(f.user, prefix + "_result", "second.txt")).isEqualTo("second\n");
    List<String> messages = new ArrayList<>();
    try (Git git = f.userGit()) {
      for (RevCommit c :
          git.log().add(git.getRepository().resolve("refs/heads/" + prefix + "_result")).call()) {
        messages.add(c.getShortMessage());
      }
    }
    assertThat(messages)
        .containsExactly(
            "orchestra(second): second done", "orchestra(first): first done", "initial");
    assertThat(worktree).doesNotExist();
    assertThat(result.nodes().get("first").branch().commit()).isEqualTo(firstBefore.name());
  }

  private String crash(Path workflow, String ready) throws Exception {
    return KilledRun.killWhen(
        ready,
        CrashableGitRun.class,
        f.user.toString(),
        dir.resolve("runs").toString(),
        workflow.toString());
  }
}
