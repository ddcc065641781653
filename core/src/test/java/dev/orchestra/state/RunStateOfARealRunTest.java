package dev.orchestra.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state of a real run: what the views show of it, the same live as from its records. */
class RunStateOfARealRunTest {
  @TempDir static Path dir;
  static RealRun run;

  @BeforeAll
  static void runIt() throws Exception {
    run = RealRun.in(dir);
  }

  @Test
  void foldingTheRecordedEventsGivesTheStateTheLiveProjectionReached() {
    RunState replayed = RunState.of(run.runId, run.plan, run.recorded);

    assertThat(run.delivered).isEqualTo(run.recorded);
    assertThat(replayed).isEqualTo(run.live);
    assertThat(RunStateJson.encode(replayed)).isEqualTo(RunStateJson.encode(run.live));
  }

  @Test
  void theStateSaysWhatHappenedToEachNode() {
    RunState s = run.live;

    assertThat(s.id()).isEqualTo(run.runId);
    assertThat(s.workflow()).isEqualTo("real");
    assertThat(s.inputs()).containsEntry("version", "1.2");
    assertThat(s.status()).isEqualTo(RunStatus.FAILED).isEqualTo(run.result.status());
    assertThat(s.reason()).isEqualTo(run.result.reason());
    assertThat(s.lastSeq()).isEqualTo(run.recorded.size());
    assertThat(s.nodes())
        .extracting(NodeState::id)
        .containsExactly("build", "flaky", "deploy", "notify", "announce");
    run.result
        .nodes()
        .forEach(
            (id, r) -> {
              NodeState n = s.node(id).orElseThrow();
              assertThat(n.status()).as(id).isEqualTo(r.status());
              assertThat(n.attempt()).as(id).isEqualTo(r.attempts());
            });

    NodeState flaky = s.node("flaky").orElseThrow();
    assertThat(flaky.maxAttempts()).isEqualTo(2);
    assertThat(flaky.lastFailure()).contains("exit");
    assertThat(flaky.lastLine()).isEqualTo("check 'run: echo checked' passed");

    NodeState deploy = s.node("deploy").orElseThrow();
    assertThat(deploy.status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(deploy.approval().message()).isEqualTo("Deploy 1.2?");
    assertThat(deploy.approval().approvers()).containsExactly("alice");
    assertThat(deploy.approval().decision().by()).isEqualTo("alice");
    assertThat(deploy.approval().decision().comment()).isEqualTo("ship it");
    assertThat(deploy.approval().decision().decidedAt()).isNotNull();
    assertThat(deploy.needs()).containsExactly("build");

    NodeState notify = s.node("notify").orElseThrow();
    assertThat(notify.status()).isEqualTo(NodeStatus.FAILED);
    assertThat(notify.reason()).isEqualTo("rejected by bob");
    assertThat(notify.approval().decision().approved()).isFalse();

    NodeState announce = s.node("announce").orElseThrow();
    assertThat(announce.status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(announce.reason()).contains("notify");
    assertThat(s.usage()).isEqualTo(run.result.usage());
  }
}
