package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRunStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-23T22:15:30Z");

  @TempDir Path base;

  private static RunInfo info(String id, Instant started) {
    return new RunInfo(
        id, "demo", "flow.yaml", "version: 1\nname: demo\n", Map.of("task", "x"), started);
  }

  private static RecordedEvent event(long seq, String run, Event e) {
    return new RecordedEvent(seq, T0.plusMillis(seq), run, e);
  }

  @Test
  void writesTheDocumentedLayout() throws IOException {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-3fa2";
    try (RunRecorder rec = store.create(info(id, T0))) {
      rec.append(event(1, id, new Event.RunStarted("demo", Map.of(), false)));
      try (AttemptRecorder a = rec.attempt("review/lint", 1)) {
        a.prompt("do it");
        a.line(OutputStream.STDOUT, "out 1");
        a.line(OutputStream.STDERR, "err 1");
        a.line(OutputStream.STDOUT, "out 2");
        a.check(1, new CheckResult("exists: A", true, ""));
        a.check(2, new CheckResult("run: false", false, "exit 1"));
        a.output("final");
        a.outputs(Map.of("plan", "PLAN"));
      }
    }
    Path dir = base.resolve(".orchestra/runs").resolve(id);
    assertThat(dir.resolve("workflow.yaml")).hasContent("version: 1\nname: demo\n");
    assertThat(dir.resolve("run.json")).exists();
    assertThat(dir.resolve("events.jsonl")).exists();
    Path attempt = dir.resolve("nodes/review.lint/1");
    assertThat(attempt.resolve("prompt.txt")).hasContent("do it");
    assertThat(attempt.resolve("stdout.log")).hasContent("out 1\nout 2");
    assertThat(attempt.resolve("stderr.log")).hasContent("err 1");
    assertThat(attempt.resolve("output.txt")).hasContent("final");

    List<AttemptRecord> records = store.attempts(id, "review/lint");
    assertThat(records).hasSize(1);
    AttemptRecord r = records.get(0);
    assertThat(r.prompt()).isEqualTo("do it");
    assertThat(r.checks())
        .containsExactly(
            new CheckResult("exists: A", true, ""), new CheckResult("run: false", false, "exit 1"));
    assertThat(r.outputs()).containsExactly(Map.entry("plan", "PLAN"));
    assertThat(store.find(id)).contains(info(id, T0));
  }

  @Test
  void recordsTheProcessGroupsAndUsageOfAnAttemptInTheRunsFactsAndSkipsALineTornByACrash()
      throws IOException {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0002";
    ProcessGroup agent =
        new ProcessGroup(
            4242,
            T0.plusMillis(10),
            "ORCHESTRA_TAG_00FF00FF00FF00FF",
            List.of("pipe:[81234]", "pipe:[81235]"));
    // As records written before processes were tagged have it.
    ProcessGroup check = new ProcessGroup(4250, T0.plusMillis(1500));
    Usage usage = new Usage(10, 20, new BigDecimal("0.125"));
    try (RunRecorder rec = store.create(info(id, T0));
        AttemptRecorder a = rec.attempt("build", 2)) {
      a.process(agent);
      a.process(check);
      a.usage(usage);
    }
    Path dir = base.resolve(".orchestra/runs").resolve(id);
    Path file = dir.resolve("attempts.jsonl");
    assertThat(Files.readAllLines(file))
        .containsExactly(
            "{\"node\":\"build\",\"attempt\":2,\"process\":{\"pgid\":4242,"
                + "\"started\":\"2026-11-23T22:15:30.010Z\","
                + "\"tag\":\"ORCHESTRA_TAG_00FF00FF00FF00FF\","
                + "\"pipes\":[\"pipe:[81234]\",\"pipe:[81235]\"]}}",
            "{\"node\":\"build\",\"attempt\":2,\"process\":{\"pgid\":4250,"
                + "\"started\":\"2026-11-23T22:15:31.500Z\"}}",
            "{\"node\":\"build\",\"attempt\":2,\"ended\":true,\"usage\":{\"input_tokens\":10,"
                + "\"output_tokens\":20,\"cost_usd\":0.125}}");
    assertThat(dir.resolve("nodes"))
        .as("an attempt with no file to hold has no directory")
        .doesNotExist();
    Files.writeString(
        file,
        "{\"node\":\"build\",\"attempt\":3,\"process\":{\"pgid\":43",
        StandardOpenOption.APPEND);

    assertThat(store.attempts(id, "build"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.processes()).isEqualTo(List.of(agent, check));
              assertThat(a.usage()).isEqualTo(usage);
            });

    // A resume's first fact does not join the torn line: the torn part is cut off.
    ProcessGroup later = new ProcessGroup(4300, T0.plusSeconds(60));
    try (RunRecorder rec = store.reopen(id);
        AttemptRecorder a = rec.attempt("build", 3)) {
      a.process(later);
    }
    assertThat(store.attempts(id, "build"))
        .extracting(AttemptRecord::attempt, AttemptRecord::processes)
        .containsExactly(tuple(2, List.of(agent, check)), tuple(3, List.of(later)));
  }

  @Test
  void readsTheProcessGroupsAndUsageOfRecordsOfTheEarlierLayout() throws IOException {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0003";
    store.create(info(id, T0)).close();
    // Before attempts.jsonl, each attempt kept these in its own directory.
    Path attempt = base.resolve(".orchestra/runs").resolve(id).resolve("nodes/build/1");
    Files.createDirectories(attempt);
    Files.writeString(attempt.resolve("prompt.txt"), "");
    Files.writeString(attempt.resolve("feedback.txt"), "");
    Files.writeString(
        attempt.resolve("processes.jsonl"),
        "{\"pgid\":4242,\"started\":\"2026-11-23T22:15:30.010Z\",\"tag\":\"ORCHESTRA_TAG_0123456789ABCDEF\"}\n");
    Files.writeString(
        attempt.resolve("usage.json"),
        "{\n  \"input_tokens\" : 10,\n  \"output_tokens\" : 20,\n  \"cost_usd\" : 0.125\n}\n");

    assertThat(store.attempts(id, "build"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.prompt()).isEmpty();
              assertThat(a.processes())
                  .containsExactly(
                      new ProcessGroup(
                          4242, T0.plusMillis(10), "ORCHESTRA_TAG_0123456789ABCDEF", List.of()));
              assertThat(a.usage()).isEqualTo(new Usage(10, 20, new BigDecimal("0.125")));
            });
  }

  @Test
  void roundTripsEventsAndResult() {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0001";
    Usage usage = new Usage(10, 20, new BigDecimal("0.125"));
    RunResult result =
        new RunResult(
            id,
            "demo",
            RunStatus.FAILED,
            "node b failed",
            T0,
            T0.plusSeconds(3),
            usage,
            Map.of(
                "b",
                new NodeResult(
                    "b", NodeStatus.FAILED, 2, 1500, usage, "out", "check failed", Map.of())));
    List<RecordedEvent> written = new ArrayList<>();
    try (RunRecorder rec = store.create(info(id, T0))) {
      written.add(event(1, id, new Event.RunStarted("demo", Map.of("task", "x"), false)));
      written.add(event(2, id, new Event.NodeStarted("b", 1)));
      written.add(
          event(
              3,
              id,
              new Event.NodeFinished("b", NodeStatus.FAILED, 2, 1500, "check failed", usage, "o")));
      written.add(event(4, id, new Event.RunFinished(RunStatus.FAILED, usage, "node b failed")));
      written.forEach(rec::append);
      rec.finish(result);
    }
    assertThat(store.events(id)).isEqualTo(written);
    assertThat(store.result(id)).contains(result);
    assertThat(base.resolve(".orchestra/runs").resolve(id).resolve("result.json.tmp"))
        .doesNotExist();
  }

  @Test
  void toleratesATornLastLineAndRepairsItOnReopen() throws IOException {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0002";
    try (RunRecorder rec = store.create(info(id, T0))) {
      rec.append(event(1, id, new Event.RunStarted("demo", Map.of(), false)));
      rec.append(event(2, id, new Event.NodeStarted("a", 1)));
    }
    Path events = store.runDirectory(id).resolve("events.jsonl");
    Files.writeString(
        events, "{\"seq\":3,\"time\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertThat(store.events(id)).extracting(RecordedEvent::seq).containsExactly(1L, 2L);

    try (RunRecorder rec = store.reopen(id)) {
      rec.append(event(3, id, new Event.NodeStarted("a", 2)));
    }
    assertThat(store.events(id)).extracting(RecordedEvent::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void reportsACorruptLineInTheMiddleWithItsLineNumber() throws IOException {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0003";
    store.create(info(id, T0)).close();
    Files.writeString(store.runDirectory(id).resolve("events.jsonl"), "garbage\n{}\n");
    assertThatThrownBy(() -> store.events(id))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("events.jsonl:1:");
  }

  @Test
  void refusesToReopenARunThatIsLocked() {
    FileRunStore store = FileRunStore.under(base);
    String id = "20261123-221530-0004";
    try (RunRecorder rec = store.create(info(id, T0))) {
      assertThatThrownBy(() -> store.reopen(id))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("in use by another process");
      assertThat(store.list()).singleElement().extracting(RunSummary::active).isEqualTo(true);
    }
    store.reopen(id).close();
    assertThat(store.list()).singleElement().extracting(RunSummary::active).isEqualTo(false);
  }

  @Test
  void listsRunsNewestFirstWithTheirStatus() {
    FileRunStore store = FileRunStore.under(base);
    store.create(info("20261123-221530-aaaa", T0)).close();
    try (RunRecorder rec = store.create(info("20261123-221531-0000", T0.plusSeconds(1)))) {
      rec.finish(
          new RunResult(
              rec.runId(),
              "demo",
              RunStatus.SUCCEEDED,
              null,
              T0,
              T0.plusSeconds(2),
              Usage.ZERO,
              Map.of()));
    }
    try (RunRecorder running = store.create(info("20261123-221532-0000", T0.plusSeconds(2)))) {
      assertThat(store.list())
          .extracting(RunSummary::id, RunSummary::status, RunSummary::interrupted)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("20261123-221532-0000", null, false),
              org.assertj.core.groups.Tuple.tuple(
                  "20261123-221531-0000", RunStatus.SUCCEEDED, false),
              org.assertj.core.groups.Tuple.tuple("20261123-221530-aaaa", null, true));
    }
  }

  private static RunResult failedResult(String id) {
    Usage usage = new Usage(10, 20, new BigDecimal("0.125"));
    return new RunResult(
        id,
        "demo",
        RunStatus.FAILED,
        "node b failed",
        T0,
        T0.plusMillis(3250),
        usage,
        Map.of(
            "a",
            new NodeResult("a", NodeStatus.SUCCEEDED, 1, 10, Usage.ZERO, "", null, Map.of()),
            "b",
            new NodeResult(
                "b", NodeStatus.FAILED, 2, 1500, usage, "out", "check failed", Map.of())));
  }

  /** A store under {@code base} holding run {@code id}, ended with {@link #failedResult}. */
  private FileRunStore storeWithFailedRun(String id) {
    FileRunStore store = FileRunStore.under(base);
    try (RunRecorder rec = store.create(info(id, T0))) {
      rec.finish(failedResult(id));
    }
    return store;
  }

  @Test
  void listsTheSameFromASummaryAsFromTheRunAndResultOfOlderRecords() throws IOException {
    String finished = "20261123-221531-0000";
    FileRunStore store = storeWithFailedRun(finished);
    store.create(info("20261123-221532-0000", T0.plusSeconds(1))).close();
    Path summary = store.runDirectory(finished).resolve("summary.json");
    assertThat(summary).exists();
    assertThat(store.runDirectory(finished).resolve("summary.json.tmp")).doesNotExist();
    List<RunListing> fromSummary = store.listing();

    Files.delete(summary);

    assertThat(store.listing()).isEqualTo(fromSummary);
    assertThat(fromSummary)
        .extracting(l -> l.summary().id(), l -> l.summary().status(), RunListing::ending)
        .containsExactly(
            tuple("20261123-221532-0000", null, null),
            tuple(
                finished,
                RunStatus.FAILED,
                new RunListing.Ending(
                    T0.plusMillis(3250),
                    java.time.Duration.ofMillis(3250),
                    2,
                    1,
                    new Usage(10, 20, new BigDecimal("0.125")))));
  }

  @Test
  void reopeningARunRemovesItsSummarySoThatAListingReadsItsRecordsAgain() throws IOException {
    String id = "20261123-221531-0001";
    FileRunStore store = storeWithFailedRun(id);
    Path summary = store.runDirectory(id).resolve("summary.json");
    assertThat(summary).exists();

    try (RunRecorder rec = store.reopen(id)) {
      assertThat(summary).doesNotExist();
      assertThat(store.listing())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.summary().active()).isTrue();
                assertThat(l.ending().succeeded()).isEqualTo(1);
              });
    }
  }

  @Test
  void listsARunWhoseSummaryIsUnreadableFromItsResult() throws IOException {
    String id = "20261123-221531-0002";
    FileRunStore store = storeWithFailedRun(id);
    Files.writeString(store.runDirectory(id).resolve("summary.json"), "{\"status\": \"nonsense\"");

    assertThat(store.listing())
        .singleElement()
        .extracting(l -> l.summary().status(), l -> l.ending().nodes())
        .containsExactly(RunStatus.FAILED, 2);
  }

  @Test
  void rejectsADuplicateRunIdAndIdsThatEscapeTheDirectory() {
    FileRunStore store = FileRunStore.under(base);
    store.create(info("20261123-221530-0005", T0)).close();
    assertThatThrownBy(() -> store.create(info("20261123-221530-0005", T0)))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> store.create(info("../evil", T0)))
        .hasMessageContaining("is not a run id");
    assertThatThrownBy(() -> store.reopen("20990101-000000-0000"))
        .hasMessageContaining("no run '20990101-000000-0000'");
  }

  @Test
  void runIdsSortByTime() {
    Random random = new Random(1);
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      Instant t = T0.plusSeconds(s * 3700L);
      ids.add(RunIds.next(Clock.fixed(t, ZoneOffset.UTC), random));
    }
    assertThat(ids).isSorted().allMatch(RunIds::isValid);
    assertThat(ids.get(0)).startsWith("20261123-221530-").hasSize(20);
  }
}
