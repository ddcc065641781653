package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.check.Check;
import dev.orchestra.check.CheckContext;
import dev.orchestra.check.CheckResult;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git workspaces on real repositories: a bare remote and the user's clone of it. */
class GitWorkspacesTest {
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
  void mergeNodeOfADiamondSeesTheWorkOfBothParallelUpstreams() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: diamond
            defaults: {agent: command}
            workspace: {repo: ., ref: main, isolation: branch}
            nodes:
              plan: {command: "echo plan > PLAN.md; echo wrote the plan"}
              a: {needs: [plan], command: "echo from a > a.txt; echo made a"}
              b: {needs: [plan], command: "echo from b > b.txt; echo made b"}
              merge:
                needs: [a, b]
                command: "cat a.txt b.txt PLAN.md > all.txt; echo merged"
                checks: [{exists: [a.txt, b.txt]}]
            """);

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    String prefix = "orchestra/" + r.runId() + "/";
    assertThat(GitFixture.file(f.user, prefix + "merge", "all.txt"))
        .isEqualTo("from a\nfrom b\nplan\n");
    assertThat(GitFixture.file(f.user, prefix + "a", "b.txt")).isNull();
    assertThat(GitFixture.file(f.user, prefix + "_result", "all.txt")).isNotNull();
    RevCommit a = GitFixture.head(f.user, prefix + "a");
    assertThat(a.getFullMessage())
        .isEqualTo("orchestra(a): made a\n\nOrchestra-Run: " + r.runId() + "\nOrchestra-Node: a\n");
    assertThat(a.getAuthorIdent().getName()).isEqualTo("Orchestra");
    assertThat(r.nodes().get("a").branch().name()).isEqualTo(prefix + "a");
    assertThat(r.nodes().get("a").branch().commit()).isEqualTo(a.name());
    assertThat(r.branch().name()).isEqualTo(prefix + "_result");
    assertThat(r.checkout()).isEqualTo("git checkout " + prefix + "_result");
    // The worktrees are gone, the branches and the diffs stay.
    Path git = f.store.runDirectory(r.runId()).resolve("git");
    assertThat(git.resolve("worktrees")).doesNotExist();
    assertThat(Files.readString(git.resolve("diffs/a.patch"))).contains("+from a");
    // The critic check and the web UI read it through the provider once the worktree is gone.
    GitWorkspaces provider =
        new GitWorkspaces(f.user, f.store::runDirectory, Credentials.from(Map.of()));
    assertThat(provider.diff(r.runId(), "merge", null))
        .contains("+++ b/all.txt")
        .doesNotContain("a.txt\n+++");
  }

  @Test
  void hooksAndFilterDriversANodeWritesIntoItsWorktreeNeverRun() throws Exception {
    Path marks = dir.resolve("marks");
    Files.createDirectories(marks);
    RunResult r =
        f.run(
            """
            version: 1
            name: hooks
            defaults: {agent: command}
            workspace: {repo: ., ref: main, isolation: branch}
            nodes:
              hooks:
                command: |
                  for h in pre-commit commit-msg post-commit; do
                    printf '#!/bin/sh\\ntouch %1$s/'$h'\\n' > .git/hooks/$h; chmod +x .git/hooks/$h
                  done
                  echo work > work.txt
              filter:
                command: |
                  printf '[filter "x"]\\n\\tclean = sh -c "touch %1$s/filter; cat"\\n' >> .git/config
                  echo '* filter=x' > .gitattributes
                  echo work > work.txt
            """
                .formatted(marks));

    assertThat(marks).isEmptyDirectory();
    assertThat(r.nodes().get("hooks").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(GitFixture.file(f.user, "orchestra/" + r.runId() + "/hooks", "work.txt"))
        .isEqualTo("work\n");
    assertThat(r.nodes().get("filter").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(r.nodes().get("filter").reason())
        .contains("Orchestra runs no program that a repository's configuration names")
        .contains("touch " + marks + "/filter");
  }

  @Test
  void checksSeeTheDiffOfTheNodesUncommittedWorkWhileTheyRun() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Check diffCheck =
        new Check() {
          @Override
          public String name() {
            return "diff";
          }

          @Override
          public CheckResult run(CheckContext context) {
            seen.set(context.diff().get());
            return new CheckResult("diff", true, "");
          }
        };
    try (Engine engine =
        Engine.builder()
            .store(f.store)
            .baseDirectory(f.user)
            .workspaces(
                new GitWorkspaces(f.user, f.store::runDirectory, Credentials.from(Map.of())))
            .checks(spec -> diffCheck)
            .build()) {
      var wf =
          Workflows.load(
              f.write(
                  "diff.yaml",
                  """
                  version: 1
                  name: diff
                  defaults: {agent: command}
                  workspace: {repo: ., isolation: branch}
                  nodes:
                    edit:
                      command: "echo new > new.txt; printf 'one\\n2\\nthree\\n' > shared.txt"
                      checks: [{exists: new.txt}]
                  """),
              Map.of());
      RunResult r =
          engine.start(wf, RunOptions.defaults()).await(Duration.ofSeconds(60)).orElseThrow();

      assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(seen.get())
        .contains("+++ b/new.txt", "+new", "-two", "+2")
        .doesNotContain("README.md");
  }

  @Test
  void sharedIsolationClonesAUrlOnceAndEveryNodeWorksInThatCheckout() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: shared
            defaults: {agent: command}
            workspace: {repo: "%s", ref: main}
            nodes:
              a: {command: "echo a > a.txt"}
              b: {needs: [a], command: "cat a.txt README.md"}
            """
                .formatted(f.remote.toUri()));

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(r.nodes().get("b").output()).isEqualTo("a\n# project");
    assertThat(f.store.runDirectory(r.runId()).resolve("git/checkout/a.txt")).exists();
    assertThat(r.branch()).isNull();
  }

  @Test
  void eightParallelNodesEditingOneFileGetEightBranchesAndLeaveTheUsersCheckoutAlone()
      throws Exception {
    StringBuilder nodes = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      nodes
          .append("  n")
          .append(i)
          .append(": {command: \"echo node ")
          .append(i)
          .append(" > shared.txt; echo edited ")
          .append(i)
          .append("\"}\n");
    }
    Files.writeString(f.user.resolve("untracked.txt"), "mine\n");
    Files.writeString(f.user.resolve("README.md"), "# project, edited by the user\n");
    String headBefore;
    String mainBefore;
    try (Git git = f.userGit()) {
      headBefore = git.getRepository().getFullBranch();
      mainBefore = git.getRepository().resolve("refs/heads/main").name();
    }

    RunResult r =
        f.run(
            """
            version: 1
            name: eight
            defaults: {agent: command}
            limits: {concurrency: 8}
            workspace: {repo: ., isolation: branch, branch_prefix: "agents/"}
            nodes:
            """
                + nodes);

    // Eight rewrites of one file cannot be merged into one result: the run says so.
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason())
        .isEqualTo("the run branch cannot be made: merge_conflict: shared.txt between n1 and n2");
    assertThat(r.nodes().values()).allMatch(n -> n.status() == NodeStatus.SUCCEEDED);
    String prefix = "agents/" + r.runId() + "/";
    List<String> branches = GitFixture.branches(f.user, prefix);
    assertThat(branches).hasSize(8).doesNotContain(prefix + "_result");
    for (int i = 1; i <= 8; i++) {
      assertThat(GitFixture.file(f.user, prefix + "n" + i, "shared.txt"))
          .isEqualTo("node " + i + "\n");
    }
    try (Git git = f.userGit()) {
      assertThat(git.getRepository().getFullBranch()).isEqualTo(headBefore);
      assertThat(git.getRepository().resolve("refs/heads/main").name()).isEqualTo(mainBefore);
      var status = git.status().call();
      assertThat(status.getModified()).containsExactly("README.md");
      assertThat(status.getUntracked()).containsExactly("untracked.txt");
      assertThat(status.getAdded()).isEmpty();
    }
    assertThat(Files.readString(f.user.resolve("shared.txt"))).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void conflictingUpstreamsKeepTheNodeFromStartingWithTheFileAndBothNodesNamed() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: conflict
            defaults: {agent: command}
            workspace: {repo: ., isolation: branch}
            nodes:
              left: {command: "echo left > shared.txt"}
              right: {command: "echo right > shared.txt"}
              join: {needs: [left, right], command: "echo ran > join.txt"}
            """);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    var join = r.nodes().get("join");
    assertThat(join.status()).isEqualTo(NodeStatus.ERROR);
    assertThat(join.attempts()).isZero();
    assertThat(join.reason()).isEqualTo("merge_conflict: shared.txt between left and right");
    assertThat(GitFixture.branches(f.user, "orchestra/" + r.runId() + "/join")).isEmpty();
  }

  @Test
  void agentResolvesConflictMarkersWhenTheNodeSaysOnConflictAgent() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: resolve
            defaults: {agent: command}
            workspace: {repo: ., isolation: branch}
            nodes:
              left: {command: "echo left > shared.txt"}
              right: {command: "echo right > shared.txt"}
              join:
                needs: [left, right]
                on_conflict: agent
                prompt: "Join both."
                command: "grep -q 'conflict markers' \\"$ORCHESTRA_PROMPT_FILE\\" && printf 'left\\nright\\n' > shared.txt; echo resolved"
                checks: [{run: "! grep -q '<<<<<<<' shared.txt"}]
            """);

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    String branch = "orchestra/" + r.runId() + "/join";
    assertThat(GitFixture.file(f.user, branch, "shared.txt")).isEqualTo("left\nright\n");
    assertThat(GitFixture.head(f.user, branch).getShortMessage())
        .isEqualTo("orchestra(join): resolved");
  }

  @Test
  void aNodeThatChangesNothingLeavesItsBranchAtItsStart() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: idle
            defaults: {agent: command}
            workspace: {repo: ., ref: main, isolation: branch}
            nodes:
              look: {command: "cat README.md"}
            """);

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    try (Git git = f.userGit()) {
      assertThat(r.nodes().get("look").branch().commit())
          .isEqualTo(git.getRepository().resolve("refs/heads/main").name());
    }
  }

  @Test
  void pushLandsTheNodeBranchesAndTheRunBranchInTheRemoteClonedFromItsUrl() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: pushed
            defaults: {agent: command}
            workspace:
              repo: "%s"
              ref: main
              isolation: branch
              push: true
              author: "Bot <bot@example.com>"
            nodes:
              a: {command: "echo a > a.txt; echo made a"}
              b: {needs: [a], command: "echo b > b.txt; echo made b"}
            """
                .formatted(f.remote.toUri()));

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    String prefix = "orchestra/" + r.runId() + "/";
    assertThat(GitFixture.branches(f.remote, prefix))
        .containsExactlyInAnyOrder(prefix + "a", prefix + "b", prefix + "_result");
    assertThat(GitFixture.file(f.remote, prefix + "_result", "a.txt")).isEqualTo("a\n");
    assertThat(GitFixture.head(f.remote, prefix + "b").getAuthorIdent().getEmailAddress())
        .isEqualTo("bot@example.com");
    assertThat(GitFixture.head(f.remote, "main").getShortMessage()).isEqualTo("initial");
    assertThat(r.checkout())
        .isEqualTo(
            "git fetch origin "
                + prefix
                + "_result:"
                + prefix
                + "_result && git checkout "
                + prefix
                + "_result");
  }

  @Test
  void aPushThatCannotLandFailsTheRunAndKeepsTheBranches() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: nowhere
            defaults: {agent: command}
            workspace: {repo: ., isolation: branch, push: true, remote: "%s"}
            nodes:
              a: {command: "echo a > a.txt; echo made a"}
            """
                .formatted(dir.resolve("no-such-remote.git").toUri()));

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason())
        .startsWith("pushing the run's branches to '")
        .contains("nothing was forced");
    assertThat(r.nodes().get("a").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(GitFixture.branches(f.user, "orchestra/" + r.runId() + "/"))
        .containsExactlyInAnyOrder(
            "orchestra/" + r.runId() + "/a", "orchestra/" + r.runId() + "/_result");
  }

  @Test
  void nodesOfAComposedWorkflowBuildOnWhatTheirComposedNodeNeeds() throws Exception {
    f.write(
        "inner.yaml",
        """
        version: 1
        name: inner
        defaults: {agent: command}
        nodes:
          read: {command: "cat base.txt > copy.txt; echo copied"}
          add: {needs: [read], command: "echo added >> copy.txt; echo added"}
        """);
    RunResult r =
        f.run(
            """
            version: 1
            name: outer
            defaults: {agent: command}
            workspace: {repo: ., isolation: branch}
            nodes:
              base: {command: "echo base > base.txt; echo based"}
              sub: {needs: [base], uses: ./inner.yaml}
              last: {needs: [sub], command: "cat copy.txt > last.txt; echo done"}
            """);

    assertThat(r.status()).as(r.reason()).isEqualTo(RunStatus.SUCCEEDED);
    String prefix = "orchestra/" + r.runId() + "/";
    assertThat(GitFixture.file(f.user, prefix + "sub/add", "copy.txt")).isEqualTo("base\nadded\n");
    assertThat(GitFixture.file(f.user, prefix + "_result", "last.txt")).isEqualTo("base\nadded\n");
    assertThat(r.nodes().get("sub/read").branch().name()).isEqualTo(prefix + "sub/read");
    assertThat(r.nodes().get("sub").branch()).isNull();
  }
}
