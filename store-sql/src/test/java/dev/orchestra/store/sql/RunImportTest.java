package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.memory.MemoryRunStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunImportTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:15:00Z");

  @TempDir Path dir;

  @Test
  void copiesEveryRecordOnceSkipsRunsBeingRecordedAndKeepsInterruptedOnesInterrupted() {
    MemoryRunStore source = MemoryRunStore.withScratch(dir.resolve("scratch"));
    String done = "20261201-101500-0001";
    String interrupted = "20261201-101501-0002";
    String running = "20261201-101502-0003";
    try (RunRecorder rec = source.create(info(done, T0))) {
      rec.append(new RecordedEvent(1, T0, done, new Event.NodeStarted("deploy", 1)));
      try (AttemptRecorder a = rec.attempt("deploy", 1)) {
        a.prompt("ship it");
        a.line(OutputStream.STDOUT, "shipped");
        a.check(1, new CheckResult("run: true", true, ""));
        a.usage(new Usage(1, 2, null));
      }
      source.decide(done, "deploy", Decision.approve("alice", "go", T0));
      rec.finish(
          new RunResult(done, "demo", RunStatus.SUCCEEDED, null, T0, T0, Usage.ZERO, Map.of()));
    }
    try (RunRecorder rec = source.create(info(interrupted, T0.plusSeconds(1)))) {
      rec.append(new RecordedEvent(1, T0, interrupted, new Event.NodeStarted("a", 1)));
    }
    RunRecorder stillRecording = source.create(info(running, T0.plusSeconds(2)));

    try (SqlRunStore target =
        SqlRunStore.open(
            SqlOptions.sqlite(dir.resolve("orchestra.db"), dir.resolve("blobs")).build())) {
      assertThat(new RunImport(source, target).all())
          .extracting(RunImport.Report::runId, RunImport.Report::outcome)
          .containsExactly(
              tuple(done, RunImport.Outcome.IMPORTED),
              tuple(interrupted, RunImport.Outcome.IMPORTED),
              tuple(running, RunImport.Outcome.RUNNING));
      assertThat(target.events(done)).isEqualTo(source.events(done));
      assertThat(target.attempts(done, "deploy")).isEqualTo(source.attempts(done, "deploy"));
      assertThat(target.decisions(done)).isEqualTo(source.decisions(done));
      assertThat(target.result(done)).isEqualTo(source.result(done));
      assertThat(target.list(RunQuery.first(5).withStatuses(RunQuery.Status.INTERRUPTED)).runs())
          .extracting(r -> r.id())
          .containsExactly(interrupted);

      stillRecording.close();
      assertThat(new RunImport(source, target).all())
          .extracting(RunImport.Report::outcome)
          .containsExactly(
              RunImport.Outcome.ALREADY_THERE,
              RunImport.Outcome.ALREADY_THERE,
              RunImport.Outcome.IMPORTED);
    }
  }

  private static RunInfo info(String id, Instant started) {
    return new RunInfo(id, "demo", "flow.yaml", "version: 1\n", Map.of("task", "x"), started);
  }
}
