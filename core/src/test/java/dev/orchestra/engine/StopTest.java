package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, run timeout and cancel: processes and their children die, statuses say why. */
class StopTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** A command that leaves a grandchild, writes its pid to FILE, says "ready" and waits. */
  private static String hang(String pidFile) {
    return "sleep 1000 & echo $! > " + pidFile + "; echo ready; wait";
  }

  @Test
  void killsTheProcessTreeWhenTheTimeoutFires() throws Exception {
    Workflow wf =
        f.workflow(
            "timeout.yaml",
            "version: 1\nname: t\nnodes:\n  slow:\n    agent: command\n    timeout: 500ms\n"
                + "    command: \""
                + hang("slow.pid")
                + "\"\n");

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("slow").status()).isEqualTo(NodeStatus.TIMED_OUT);
    assertThat(result.nodes().get("slow").reason()).contains("timeout").contains("500ms");
    assertGone(dir.resolve("slow.pid"));
  }

  @Test
  void killsTheProcessTreeWhenTheIdleTimeoutFires() throws Exception {
    Workflow wf =
        f.workflow(
            "idle.yaml",
            "version: 1\nname: t\nnodes:\n  quiet:\n    agent: command\n    timeout: 60s\n"
                + "    idle_timeout: 500ms\n    command: \""
                + hang("quiet.pid")
                + "\"\n");

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("quiet").status()).isEqualTo(NodeStatus.TIMED_OUT);
    assertThat(result.nodes().get("quiet").reason()).contains("idle_timeout").contains("no output");
    assertGone(dir.resolve("quiet.pid"));
  }

  @Test
  void cancelKillsRunningNodesMarksTheRestCancelledAndFlushesTheRecords() throws Exception {
    Workflow wf =
        f.workflow(
            "cancel.yaml",
            "version: 1\nname: c\ndefaults: {agent: command}\nnodes:\n"
                + "  busy: {command: \""
                + hang("busy.pid")
                + "\"}\n"
                + "  other: {command: \""
                + hang("other.pid")
                + "\"}\n"
                + "  next: {needs: [busy], command: \"true\"}\n");
    CountDownLatch ready = new CountDownLatch(2);
    RunHandle run =
        f.start(
            wf,
            RunOptions.defaults()
                .withListener(
                    e -> {
                      if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
                        ready.countDown();
                      }
                    }));
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    long before = System.nanoTime();
    run.cancel();
    RunResult result = run.await(Duration.ofSeconds(300)).orElseThrow();

    // Ended by the cancel, not by the nodes' own sleeps running out: a bound far from both, so a
    // loaded machine does not break it.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(300));
    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(result.nodes().get("busy").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("other").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("next").status()).isEqualTo(NodeStatus.CANCELLED);
    assertGone(dir.resolve("busy.pid"));
    assertGone(dir.resolve("other.pid"));
    List<RecordedEvent> recorded = f.store.events(run.runId());
    RecordedEvent last = recorded.get(recorded.size() - 1);
    assertThat(last.event())
        .isEqualTo(new Event.RunFinished(RunStatus.CANCELLED, result.usage(), "run cancelled"));
    assertThat(f.store.result(run.runId())).contains(result);
    assertThat(f.store.attempts(run.runId(), "busy").get(0).stdout()).isEqualTo("ready\n");
  }

  @Test
  void theRunTimeoutTimesOutRunningNodesCancelsTheRestAndFailsTheRun() throws Exception {
    Workflow wf =
        f.workflow(
            "runtimeout.yaml",
            "version: 1\nname: r\ndefaults: {agent: command}\nlimits: {timeout: 500ms}\nnodes:\n"
                + "  long: {command: \""
                + hang("long.pid")
                + "\"}\n"
                + "  after: {needs: [long], command: \"true\"}\n");

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.reason()).isEqualTo("run timeout 500ms exceeded");
    assertThat(result.nodes().get("long").status()).isEqualTo(NodeStatus.TIMED_OUT);
    assertThat(result.nodes().get("long").reason()).isEqualTo("run timeout 500ms exceeded");
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("after").reason()).isEqualTo("run timeout 500ms exceeded");
    assertGone(dir.resolve("long.pid"));
  }

  @Test
  void aCancelWhileTheRunHandsOverItsWorkspaceReturnsWithoutWaitingForTheHandOver()
      throws Exception {
    CountDownLatch handingOver = new CountDownLatch(1);
    CountDownLatch pushed = new CountDownLatch(1);
    SharedWorkspaces shared = new SharedWorkspaces(dir);
    // Stands for a git provider whose push takes its time: it ends when the test lets it.
    WorkspaceProvider slowPush =
        new WorkspaceProvider() {
          @Override
          public Path prepare(String runId, String nodeId, WorkspaceSpec spec) {
            return shared.prepare(runId, nodeId, spec);
          }

          @Override
          public RunWorkspace finishRun(String runId, WorkspaceSpec spec, List<String> sinks) {
            handingOver.countDown();
            try {
              pushed.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
            return RunWorkspace.NONE;
          }
        };
    f.close();
    f = EngineFixture.withWorkspaces(dir, slowPush);
    try {
      RunHandle run =
          f.start(
              f.workflow(
                  "push.yaml",
                  "version: 1\nname: p\nnodes:\n  n: {agent: command, command: \"true\"}\n"),
              RunOptions.defaults());
      assertThat(handingOver.await(30, TimeUnit.SECONDS)).isTrue();

      // A Ctrl-C's cancel: it used to wait for the coordinator's lock, held during the push.
      CompletableFuture.runAsync(run::cancel).get(10, TimeUnit.SECONDS);

      assertThat(run.completion()).as("the hand-over is still going on").isNotDone();
      pushed.countDown();
      RunResult result = run.await(Duration.ofSeconds(60)).orElseThrow();
      // The cancel came after the last node had ended: the run's end was already decided.
      assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(f.store.result(result.runId())).contains(result);
    } finally {
      pushed.countDown();
    }
  }

  /** The pid in {@code pidFile} ends within 5 s (the kill already returned; reaping may lag). */
  static void assertGone(Path pidFile) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              try {
                h.onExit().get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new AssertionError("grandchild " + pid + " is still alive", e);
              }
            });
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }
}
