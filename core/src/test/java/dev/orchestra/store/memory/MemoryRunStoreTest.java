package dev.orchestra.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryRunStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-23T22:15:30Z");
  private static final String ID = "20261123-221530-3fa2";

  @TempDir Path scratch;

  private static RunInfo info(String id, Instant started) {
    return new RunInfo(id, "demo", "flow.yaml", "version: 1\n", Map.of("task", "x"), started);
  }

  @Test
  void keepsWhatARunRecordedAndReadsItBackAsTheFileStoreDoes() {
    MemoryRunStore store = MemoryRunStore.withScratch(scratch);
    Instant t = T0.plusSeconds(1);
    try (RunRecorder rec = store.create(info(ID, T0))) {
      rec.append(new RecordedEvent(1, t, ID, new Event.RunStarted("demo", Map.of(), false)));
      try (AttemptRecorder a = rec.attempt("review/lint", 1)) {
        assertThat(a.directory())
            .isEqualTo(store.attemptDirectory(ID, "review/lint", 1))
            .isDirectory()
            .startsWith(store.runDirectory(ID));
        a.prompt("do it");
        a.line(OutputStream.STDOUT, "out 1");
        a.line(OutputStream.STDERR, "err 1");
        a.line(OutputStream.STDOUT, "out 2");
        a.process(new ProcessGroup(42, T0));
        a.check(1, new CheckResult("exists: a", true, ""));
        a.check(2, new CheckResult("run: b", false, "no"));
        a.output("");
        a.usage(new Usage(3, 4, null));
        a.outputs(Map.of("k", "v"));
      }
      rec.finish(new RunResult(ID, "demo", RunStatus.FAILED, "why", T0, t, Usage.ZERO, Map.of()));
    }

    assertThat(store.find(ID)).contains(info(ID, T0));
    assertThat(store.events(ID)).extracting(RecordedEvent::seq).containsExactly(1L);
    assertThat(store.result(ID)).map(RunResult::reason).contains("why");
    AttemptRecord a = store.attempts(ID, "review/lint").get(0);
    assertThat(a.prompt()).isEqualTo("do it");
    assertThat(a.stdout()).isEqualTo("out 1\nout 2\n");
    assertThat(a.stderr()).isEqualTo("err 1\n");
    assertThat(a.checks()).extracting(CheckResult::check).containsExactly("exists: a", "run: b");
    assertThat(a.output()).as("an empty output is no output").isNull();
    assertThat(a.outputs()).containsEntry("k", "v");
    assertThat(a.processes()).containsExactly(new ProcessGroup(42, T0));
    assertThat(a.usage().totalTokens()).isEqualTo(7);
    assertThat(store.attempts(ID, "other")).isEmpty();
  }

  @Test
  void locksARunUntilItsRecorderIsClosedAndRefusesEventsAfterwards() {
    MemoryRunStore store = MemoryRunStore.withScratch(scratch);
    RunRecorder first = store.create(info(ID, T0));

    assertThatThrownBy(() -> store.reopen(ID))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("run " + ID + " is being recorded already");
    assertThatThrownBy(() -> store.create(info(ID, T0)))
        .hasMessageContaining("run " + ID + " already exists");
    assertThat(store.list()).extracting(RunSummary::active).containsExactly(true);

    first.close();
    assertThatThrownBy(
            () -> first.append(new RecordedEvent(1, T0, ID, new Event.NodeStarted("n", 1))))
        .hasMessageContaining("is no longer being recorded");
    assertThat(store.list()).extracting(RunSummary::interrupted).containsExactly(true);
    try (RunRecorder again = store.reopen(ID)) {
      again.append(new RecordedEvent(1, T0, ID, new Event.NodeStarted("n", 1)));
    }
    assertThat(store.events(ID)).hasSize(1);
  }

  @Test
  void listsNewestFirstWithTheStatusOfFinishedRuns() {
    MemoryRunStore store = MemoryRunStore.withScratch(scratch);
    String older = "20261123-221530-0001";
    String newer = "20261123-221531-0002";
    try (RunRecorder rec = store.create(info(older, T0))) {
      rec.finish(
          new RunResult(older, "demo", RunStatus.SUCCEEDED, null, T0, T0, Usage.ZERO, Map.of()));
    }
    store.create(info(newer, T0.plusSeconds(1))).close();

    assertThat(store.list())
        .extracting(RunSummary::id, RunSummary::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(newer, null),
            org.assertj.core.groups.Tuple.tuple(older, RunStatus.SUCCEEDED));
  }

  @Test
  void namesTheRunThatIsNotThereAndRefusesIdsThatAreNoRunIds() {
    MemoryRunStore store = MemoryRunStore.withScratch(scratch);

    assertThat(store.find(ID)).isEmpty();
    assertThatThrownBy(() -> store.events(ID))
        .hasMessage(
            "no run '" + ID + "' in this process's memory; runs in memory end with the process");
    assertThatThrownBy(() -> store.runDirectory("../x"))
        .hasMessageContaining("'../x' is not a run id");
  }

  @Test
  void keepsEveryNodeIdInsideTheRunsDirectory() throws Exception {
    MemoryRunStore store = MemoryRunStore.withScratch(scratch);
    try (RunRecorder rec = store.create(info(ID, T0))) {
      for (String node : new String[] {"..", "a/../../b", "outer/inner"}) {
        Path dir = rec.attempt(node, 1).directory();
        assertThat(dir.normalize()).startsWith(store.runDirectory(ID).resolve("nodes"));
        assertThat(dir.getParent().getParent()).isEqualTo(store.runDirectory(ID).resolve("nodes"));
        assertThat(Files.isDirectory(dir)).isTrue();
      }
    }
    assertThat(store.attempts(ID, "outer/inner")).hasSize(1);
  }
}
