package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.DecisionOutcome;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.testing.KilledRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after a real {@code kill -9} of the JVM running the engine, over the file store: what the
 * killed session recorded on disk is all the resume has. Resumes within one process are the
 * engine's {@code ResumeTest}.
 */
class ResumeIT {
  @TempDir Path dir;
  EngineRun f;

  @BeforeEach
  void setUp() {
    f = new EngineRun(dir, FileRunStore.under(dir), Map.of());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void resumesAfterKillDashNineWithoutRerunningSucceededNodes() throws Exception {
    Path wf =
        f.write(
            "crash.yaml",
            """
            version: 1
            name: crash
            defaults: {agent: command}
            nodes:
              first: {command: "echo x >> first.count; echo first done"}
              second:
                needs: [first]
                command: 'if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then echo $$ > second.sh.pid; sleep 1000 & echo $! > second.pid; echo ready; wait; fi; echo second done'
              third: {needs: [second], command: "echo x >> third.count"}
            """);
    String runId = crash(wf, "ready");
    // The agent's shell (its process group's leader) and its child outlive the engine's JVM.
    List<Long> orphans =
        List.of(
            Long.parseLong(Files.readString(dir.resolve("second.sh.pid")).trim()),
            Long.parseLong(Files.readString(dir.resolve("second.pid")).trim()));
    assertThat(orphans).allSatisfy(pid -> assertThat(running(pid)).isTrue());
    assertThat(runId).isNotNull();
    assertThat(f.store().result(runId)).isEmpty();
    assertThat(f.store().attempts(runId, "second").get(0).processes())
        .extracting(ProcessGroup::id)
        .containsExactly(orphans.get(0));
    long lastSeqBefore = f.store().events(runId).get(f.store().events(runId).size() - 1).seq();

    RunHandle resumed = f.engine().resume(runId, RunOptions.defaults().withListener(f::record));
    // The resume ended them before it ran anything; this test never kills them itself.
    assertThat(orphans).noneSatisfy(pid -> assertThat(running(pid)).isTrue());
    RunResult result = resumed.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readAllLines(dir.resolve("first.count"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("third.count"))).hasSize(1);
    assertThat(result.nodes().get("first").output()).isEqualTo("first done");
    assertThat(result.nodes().get("second").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("second").output()).isEqualTo("second done");
    assertThat(f.events(Event.NodeStarted.class))
        .extracting(Event.NodeStarted::node, Event.NodeStarted::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("second", 2),
            org.assertj.core.groups.Tuple.tuple("third", 1));
    RecordedEvent restart = f.recorded().get(0);
    assertThat(restart.seq()).isEqualTo(lastSeqBefore + 1);
    assertThat(restart.event()).isInstanceOf(Event.RunStarted.class);
    assertThat(((Event.RunStarted) restart.event()).resumed()).isTrue();
    List<RecordedEvent> all = f.store().events(runId);
    assertThat(all)
        .extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
  }

  @Test
  void aKillDashNineDuringTheResumeIsResumedToo() throws Exception {
    Path wf =
        f.write(
            "twice.yaml",
            """
            version: 1
            name: twice
            defaults: {agent: command}
            nodes:
              first: {command: "echo x >> first.count; echo first done"}
              second:
                needs: [first]
                command: 'if [ "$ORCHESTRA_ATTEMPT" -lt 3 ]; then echo ready; exec sleep 1000; fi; echo second done'
              third: {needs: [second], command: "echo x >> third.count"}
            """);
    String runId = crash(wf, "ready");
    String resumedId =
        KilledRun.killWhen("ready", CrashableRun.class, dir.toString(), wf.toString(), runId);
    assertThat(resumedId).isEqualTo(runId);
    assertThat(f.store().result(runId)).isEmpty();

    RunResult result =
        f.engine()
            .resume(runId, RunOptions.defaults().withListener(f::record))
            .await(Duration.ofSeconds(60))
            .orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Files.readAllLines(dir.resolve("first.count"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("third.count"))).hasSize(1);
    assertThat(result.nodes().get("second").attempts()).isEqualTo(3);
    assertThat(f.events(Event.NodeStarted.class))
        .extracting(Event.NodeStarted::node, Event.NodeStarted::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("second", 3),
            org.assertj.core.groups.Tuple.tuple("third", 1));
    List<RecordedEvent> all = f.store().events(runId);
    assertThat(all)
        .extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
    assertThat(all).filteredOn(e -> e.event() instanceof Event.RunStarted).hasSize(3);
  }

  /**
   * Runs {@code workflow} in a child JVM, waits for a node to print {@code ready}, kills the JVM
   * with {@code kill -9} and returns the run's id.
   */
  private String crash(Path workflow, String ready) throws Exception {
    return KilledRun.killWhen(ready, CrashableRun.class, dir.toString(), workflow.toString());
  }

  @Test
  void reapsACheckCommandThatAKillDashNineLeftRunning() throws Exception {
    Path wf =
        f.write(
            "check.yaml",
            """
            version: 1
            name: check-crash
            defaults: {agent: command}
            nodes:
              gate:
                command: "true"
                checks:
                  - run: 'test -f check.pid || { echo $$ > check.pid; exec sleep 1000; }'
              watcher:
                command: 'if [ "$ORCHESTRA_ATTEMPT" = 1 ]; then until [ -s check.pid ]; do sleep 0.05; done; echo ready; exec sleep 1000; fi'
            """);
    String runId = crash(wf, "ready");
    long check = Long.parseLong(Files.readString(dir.resolve("check.pid")).trim());
    assertThat(running(check)).isTrue();
    assertThat(f.store().attempts(runId, "gate").get(0).processes())
        .extracting(ProcessGroup::id)
        .contains(check);

    RunHandle resumed = f.engine().resume(runId, RunOptions.defaults());
    assertThat(running(check)).isFalse();
    RunResult result = resumed.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("gate").attempts()).isEqualTo(2);
  }

  @Test
  void aNodeWaitingForApprovalWhenTheJvmDiedTakesUpTheDecisionMadeMeanwhile() throws Exception {
    Path wf =
        f.write(
            "gate.yaml",
            """
            version: 1
            name: gate
            defaults: {agent: command}
            nodes:
              build: {command: "echo x >> build.count; echo built"}
              deploy:
                needs: [build]
                command: "echo deployed"
                approval: {message: "Deploy {{ nodes.build.output }}?", approvers: [alice]}
            """);
    String runId =
        KilledRun.killWhen(
            e -> e instanceof Event.NodeWaitingApproval,
            "node_waiting_approval",
            CrashableRun.class,
            dir.toString(),
            wf.toString());

    // As `orchestra approve` does while no process runs the run.
    DecisionOutcome outcome =
        f.engine()
            .decide(runId, "deploy", Decision.approve("alice", "after the crash", Instant.now()));
    RunHandle resumed = f.engine().resume(runId, RunOptions.defaults().withListener(f::record));
    RunResult result = resumed.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DecisionOutcome.Recorded.class,
            r -> assertThat(r.status()).isEqualTo(NodeStatus.WAITING_APPROVAL));
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("deploy").output()).isEqualTo("deployed");
    assertThat(Files.readAllLines(dir.resolve("build.count"))).hasSize(1);
    assertThat(f.events(Event.NodeWaitingApproval.class)).isEmpty();
    assertThat(f.events(Event.NodeApproved.class))
        .extracting(Event.NodeApproved::by, Event.NodeApproved::comment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "after the crash"));
  }

  /** Whether {@code pid} exists and has not exited (a zombie has exited), from /proc. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
      return !state.equals("Z") && !state.equals("X");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
