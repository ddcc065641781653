package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.file.FileRunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestra approve|reject} in one process while {@code orchestra run} runs the run in
 * another, and while no process does.
 */
class ApproveCommandTest {
  @TempDir Path dir;
  private Path file;
  private String runs;

  @BeforeEach
  void writeWorkflow() throws IOException {
    runs = dir.resolve("runs").toString();
    file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: release
        defaults: {agent: command, attempts: 1}
        limits: {concurrency: 1}
        nodes:
          build: {command: "echo v1.2"}
          deploy:
            needs: [build]
            command: "echo deployed"
            approval:
              message: "Deploy {{ nodes.build.output }}?"
              approvers: [alice, bob]
          announce: {needs: [deploy], command: "echo announced"}
        """);
  }

  private OrchestraProcess run() throws IOException {
    return OrchestraProcess.start(dir, "run", file.toString(), "--json", "--runs-dir", runs);
  }

  private static Event.NodeWaitingApproval waiting(OrchestraProcess p) throws InterruptedException {
    return (Event.NodeWaitingApproval) p.await(e -> e instanceof Event.NodeWaitingApproval).event();
  }

  private static String runId(OrchestraProcess p) throws InterruptedException {
    return p.await(e -> e instanceof Event.RunStarted).run();
  }

  @Test
  void approvingFromAnotherProcessLetsTheRunningRunGoOn() throws Exception {
    try (OrchestraProcess p = run()) {
      String runId = runId(p);
      Event.NodeWaitingApproval w = waiting(p);
      assertThat(w.message()).isEqualTo("Deploy v1.2?");
      assertThat(w.approvers()).containsExactly("alice", "bob");

      CliRun stranger =
          CliRun.of("approve", runId, "deploy", "--by", "mallory", "--runs-dir", runs);
      CliRun shown = CliRun.of("runs", "show", runId, "--runs-dir", runs);
      CliRun alice =
          CliRun.of(
              "approve",
              runId,
              "deploy",
              "--comment",
              "ship it",
              "--by",
              "alice",
              "--runs-dir",
              runs);
      RecordedEvent approved = p.await(e -> e instanceof Event.NodeApproved);
      int code = p.exitCode();

      assertThat(stranger.exitCode()).isEqualTo(2);
      assertThat(stranger.err())
          .isEqualTo(
              "orchestra: error: 'mallory' may not decide node 'deploy': its approvers are alice,"
                  + " bob\n");
      assertThat(shown.out())
          .containsPattern("deploy\\s+waiting_approval")
          .contains("approvals:\n  deploy    waiting: Deploy v1.2? (approvers: alice, bob)\n")
          .contains("orchestra approve " + runId + " deploy --runs-dir " + runs + "\n")
          .contains("orchestra reject " + runId + " deploy --comment WHY --runs-dir " + runs);
      assertThat(alice.exitCode()).as(alice.err()).isZero();
      assertThat(alice.out())
          .isEqualTo(
              "node 'deploy' of run " + runId + " approved by alice: ship it; it runs now\n");
      assertThat(approved.event())
          .isEqualTo(new Event.NodeApproved("deploy", "alice", "ship it", decidedAt(runId)));
      assertThat(code).as(p.stderr()).isZero();
      assertThat(p.events())
          .filteredOn(e -> e instanceof Event.NodeFinished)
          .extracting(e -> ((Event.NodeFinished) e).status())
          .containsOnly(NodeStatus.SUCCEEDED);
      CliRun after = CliRun.of("runs", "show", runId, "--runs-dir", runs);
      assertThat(after.out())
          .containsPattern("  deploy    approved by alice at [-0-9: ]+: ship it\n");
    }
  }

  @Test
  void rejectingFromAnotherProcessFailsTheNodeAndSkipsItsDependants() throws Exception {
    try (OrchestraProcess p = run()) {
      String runId = runId(p);
      waiting(p);

      CliRun bob =
          CliRun.of(
              "reject",
              runId,
              "deploy",
              "--comment",
              "not today",
              "--by",
              "bob",
              "--runs-dir",
              runs);
      int code = p.exitCode();

      assertThat(bob.exitCode()).as(bob.err()).isZero();
      assertThat(bob.out())
          .isEqualTo(
              "node 'deploy' of run "
                  + runId
                  + " rejected by bob: not today; it fails and the nodes that need it are skipped"
                  + " now\n");
      assertThat(code).isEqualTo(1);
      assertThat(p.events())
          .contains(new Event.NodeRejected("deploy", "bob", "not today", decidedAt(runId)))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          Event.NodeFinished.class,
                          f -> {
                            assertThat(f.node()).isEqualTo("announce");
                            assertThat(f.status()).isEqualTo(NodeStatus.SKIPPED);
                          }));
      CliRun shown = CliRun.of("runs", "show", runId, "--runs-dir", runs);
      assertThat(shown.out())
          .containsPattern("deploy\\s+failed\\s+0\\s+.*rejected by bob: not today")
          .containsPattern("  deploy    rejected by bob at [-0-9: ]+: not today\n");
    }
  }

  /** A run whose process was stopped (SIGTERM) while 'deploy' waited: no process runs it now. */
  private String interruptedWhileWaiting() throws Exception {
    try (OrchestraProcess p = run()) {
      String runId = runId(p);
      waiting(p);
      p.terminate();
      assertThat(p.exitCode()).as(p.stderr()).isEqualTo(130);
      return runId;
    }
  }

  private java.time.Instant decidedAt(String runId) {
    return FileRunStore.at(Path.of(runs)).decisions(runId).get("deploy").time();
  }

  @Test
  void aDecisionWhileNoProcessRunsTheRunIsTakenUpByResume() throws Exception {
    String runId = interruptedWhileWaiting();

    CliRun approve = CliRun.of("approve", runId, "deploy", "--by", "bob", "--runs-dir", runs);
    CliRun again = CliRun.of("approve", runId, "deploy", "--by", "alice", "--runs-dir", runs);
    CliRun contrary = CliRun.of("reject", runId, "deploy", "--by", "alice", "--runs-dir", runs);
    CliRun resume = CliRun.of("resume", runId, "--runs-dir", runs);

    assertThat(approve.exitCode()).as(approve.err()).isZero();
    assertThat(approve.out())
        .isEqualTo(
            "node 'deploy' of run "
                + runId
                + " approved by bob; no process runs the run now: `orchestra resume "
                + runId
                + "` takes the decision up\n");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .startsWith("node 'deploy' of run " + runId + " was approved by bob already (at ")
        .endsWith("); nothing changed\n");
    assertThat(contrary.exitCode()).isEqualTo(2);
    assertThat(contrary.err())
        .startsWith("orchestra: error: node 'deploy' was approved by bob at ")
        .endsWith(" already; a decision is final (start a new run to decide again)\n");
    assertThat(resume.exitCode()).as(resume.out() + resume.err()).isZero();
    assertThat(resume.out())
        .contains("deploy    approved by bob")
        .doesNotContain("waiting for approval")
        .contains("3/3 nodes succeeded");
  }

  @Test
  void refusesWhatCannotBeDecidedWithExitCode2() throws Exception {
    String runId = interruptedWhileWaiting();
    String other = runId.substring(0, runId.length() - 4) + "ffff";

    CliRun noRun = CliRun.of("approve", other, "deploy", "--runs-dir", runs);
    CliRun noNode = CliRun.of("approve", runId, "deplyo", "--by", "bob", "--runs-dir", runs);
    CliRun noGate = CliRun.of("reject", runId, "build", "--by", "bob", "--runs-dir", runs);
    CliRun noUser = CliRun.of("approve", runId, "deploy", "--by", " ", "--runs-dir", runs);

    assertThat(noRun.exitCode()).isEqualTo(2);
    assertThat(noRun.err()).startsWith("orchestra: error: no run '" + other + "' in ");
    assertThat(noNode.exitCode()).isEqualTo(2);
    assertThat(noNode.err())
        .isEqualTo(
            "orchestra: error: run "
                + runId
                + " has no node 'deplyo'; did you mean 'deploy'? (nodes with an approval gate:"
                + " deploy)\n");
    assertThat(noGate.exitCode()).isEqualTo(2);
    assertThat(noGate.err())
        .isEqualTo(
            "orchestra: error: node 'build' of run "
                + runId
                + " has no approval gate (nodes with an approval gate: deploy)\n");
    assertThat(noUser.exitCode()).isEqualTo(2);
    assertThat(noUser.err()).contains("--by must name who decides");
    assertThat(FileRunStore.at(Path.of(runs)).decisions(runId)).isEmpty();
  }
}
