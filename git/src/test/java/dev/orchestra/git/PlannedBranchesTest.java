package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.NodeOptions;
import dev.orchestra.engine.NodeRun;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isolation: branch} in a run planned for a pipeline whose nodes run in workspaces of their
 * own (each a clone at the same commit, as Jenkins' {@code checkout scm} makes): a node's branch
 * reaches its dependants' workspaces and the run's end only through the git bundle in its records.
 */
class PlannedBranchesTest {
  private static final String WORKFLOW =
      """
      version: 1
      name: relay
      defaults: {agent: command}
      workspace: {repo: ., isolation: branch}
      nodes:
        first: {command: "echo from first > first.txt; echo wrote first"}
        second:
          needs: [first]
          command: "cat first.txt > second.txt; echo from second >> second.txt; echo wrote second"
          checks: [{exists: first.txt}]
      """;

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
  void aNodesBranchTravelsAsABundleToItsDependantsWorkspaceAndToTheRunBranch() throws Exception {
    Path home = f.user;
    Files.writeString(home.resolve("flow.yaml"), WORKFLOW);
    String runId;
    try (Engine planner = engine(home)) {
      var wf = Workflows.load(home.resolve("flow.yaml"), (Map<String, String>) null);
      runId = planner.planned(Trust.UNTRUSTED).plan(wf, Map.of(), null).runId();
    }
    Path records = Path.of(".orchestra/runs", runId);
    List<String> runStash =
        List.of("run.json", "workflow.yaml", "events.jsonl", "plan", "git/base");

    Path b = clone("agent-b");
    stash(home, b, records, runStash);
    NodeStatus first = runNode(b, runId, "first");
    Path c = clone("agent-c");
    stash(home, c, records, runStash);
    stash(b, c, records, List.of("nodes/first", "git/first.bundle"));
    NodeStatus second = runNode(c, runId, "second");
    stash(b, home, records, List.of("nodes/first", "git/first.bundle"));
    stash(c, home, records, List.of("nodes/second", "git/second.bundle"));
    RunResult result;
    try (Engine finisher = engine(home)) {
      result = finisher.planned(Trust.UNTRUSTED).finish(runId, null, List.of());
    }

    assertThat(List.of(first, second)).containsOnly(NodeStatus.SUCCEEDED);
    assertThat(result.status()).as(result.reason()).isEqualTo(RunStatus.SUCCEEDED);
    String prefix = "orchestra/" + runId + "/";
    assertThat(GitFixture.file(home, prefix + "_result", "second.txt"))
        .isEqualTo("from first\nfrom second\n");
    assertThat(GitFixture.branches(home, prefix))
        .containsExactlyInAnyOrder(prefix + "first", prefix + "second", prefix + "_result");
    assertThat(GitFixture.branches(b, prefix)).containsExactly(prefix + "first");
  }

  private Engine engine(Path workspace) {
    FileRunStore store = FileRunStore.under(workspace);
    return Engine.builder()
        .store(store)
        .baseDirectory(workspace)
        .workspaces(new GitWorkspaces(workspace, store::runDirectory, Credentials.from(Map.of())))
        .build();
  }

  private NodeStatus runNode(Path workspace, String runId, String node) throws Exception {
    try (Engine engine = engine(workspace)) {
      NodeRun run = engine.planned(Trust.UNTRUSTED).runNode(runId, node, NodeOptions.defaults());
      assertThat(run).isInstanceOf(NodeRun.Started.class);
      RunResult part = ((NodeRun.Started) run).handle().await(Duration.ofMinutes(2)).orElseThrow();
      assertThat(part.nodes().get(node).status()).as(part.nodes().get(node).reason()).isNotNull();
      return part.nodes().get(node).reason() == null
          ? part.nodes().get(node).status()
          : fail(node + ": " + part.nodes().get(node).reason());
    }
  }

  private Path clone(String name) throws Exception {
    Path to = dir.resolve(name);
    Git.cloneRepository()
        .setURI(f.remote.toUri().toString())
        .setDirectory(to.toFile())
        .call()
        .close();
    return to;
  }

  /** Copies {@code parts} of the run's records from one workspace to another, as stashes do. */
  private static void stash(Path from, Path to, Path records, List<String> parts)
      throws IOException {
    for (String part : parts) {
      Path source = from.resolve(records).resolve(part);
      if (!Files.exists(source)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          Path target = to.resolve(records).resolve(from.resolve(records).relativize(p).toString());
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
