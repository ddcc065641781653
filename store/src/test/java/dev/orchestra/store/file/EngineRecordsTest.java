package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.ValidationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine recording into the file store: when a run's result is handed out, its files on
 * disk are complete. The engine's behaviour itself is tested in core, over the memory store.
 */
class EngineRecordsTest {
  @TempDir Path dir;
  EngineRun f;
  FileRunStore store;

  @BeforeEach
  void setUp() {
    store = FileRunStore.under(dir);
    f = new EngineRun(dir, store, Map.of());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aCancelledRunsEventsFileEndsWithRunFinishedAndItsResultIsWritten() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle run =
        f.engine()
            .start(
                f.workflow(
                    """
                    version: 1
                    name: c
                    nodes:
                      busy: {agent: command, command: "echo ready; sleep 1000"}
                    """),
                RunOptions.defaults()
                    .withListener(
                        e -> {
                          if (e.event() instanceof Event.NodeOutput o && o.text().equals("ready")) {
                            ready.countDown();
                          }
                        }));
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();

    run.cancel();
    RunResult result = run.await(Duration.ofSeconds(10)).orElseThrow();

    List<String> lines =
        Files.readAllLines(store.runDirectory(run.runId()).resolve("events.jsonl"));
    RecordedEvent last = EventJson.decode(lines.get(lines.size() - 1));
    assertThat(last.event())
        .isEqualTo(new Event.RunFinished(RunStatus.CANCELLED, result.usage(), "run cancelled"));
    assertThat(store.result(run.runId())).contains(result);
    assertThat(Files.readString(store.runDirectory(run.runId()).resolve("nodes/busy/1/stdout.log")))
        .isEqualTo("ready\n");
  }

  @Test
  void aNodePrintingTwentyMegabytesLeavesItsHeadAndTailNotAnEventPerLine() throws Exception {
    // 200,000 numbered lines of 100 characters (20 MB) on stdout, then one line on stderr.
    RunResult result =
        f.run(
            """
            version: 1
            name: loud
            nodes:
              loud:
                agent: command
                command: "seq -f '%099g' 1 200000; echo done >&2"
            """);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    Path attempt = store.runDirectory(result.runId()).resolve("nodes/loud/1");
    List<String> stdout = Files.readAllLines(attempt.resolve("stdout.log"));
    int kept = (4 << 20) / 100; // lines of the head, and of the tail
    int leftOut = 200_000 - 2 * kept;
    String cut =
        String.format(
            java.util.Locale.ROOT,
            "[orchestra: %,d lines (11.1 MiB) of stdout were left out here: the records keep the"
                + " first 4.0 MiB and the last 4.0 MiB of each stream of an attempt; a node's"
                + " logs: {max: SIZE} keeps more, logs: {max: unlimited} all]",
            leftOut);
    assertThat(stdout).hasSize(2 * kept + 1);
    assertThat(stdout.get(kept)).isEqualTo(cut);
    assertThat(stdout.get(0)).isEqualTo("%099d".formatted(1));
    assertThat(stdout.get(kept - 1)).isEqualTo("%099d".formatted(kept));
    assertThat(stdout.get(kept + 1)).isEqualTo("%099d".formatted(kept + leftOut + 1));
    assertThat(stdout.get(2 * kept)).isEqualTo("%099d".formatted(200_000));
    assertThat(Files.readString(attempt.resolve("stderr.log"))).isEqualTo("done\n");

    List<Event.NodeOutput> outputs = f.events(Event.NodeOutput.class);
    assertThat(outputs).hasSizeLessThan(10_000 + 1_000 + 3);
    assertThat(outputs.get(0).text()).isEqualTo("%099d".formatted(1));
    assertThat(outputs)
        .extracting(Event.NodeOutput::text)
        .anyMatch(t -> t.startsWith("orchestra: this attempt's output passed 1.0 MiB or 10,000"))
        .anyMatch(
            t ->
                t.matches(
                    "orchestra: [0-9,]+ lines \\([0-9.]+ MiB\\) of output were left"
                        + " out of the events here"))
        // stderr's "done" is read by another thread and may land anywhere in the cut part
        // (stdout's lines still in the pipe come after it), so only stdout's last line is sure.
        .contains("%099d".formatted(200_000));
    assertThat(Files.size(store.runDirectory(result.runId()).resolve("events.jsonl")))
        .isLessThan(4L << 20);
  }

  @Test
  void aNodesLogsMaxSetsWhatItsRecordsKeep() throws Exception {
    // 2,000 lines of 100 characters (200 KB) on stdout and on stderr, 64 KiB kept of each.
    RunResult result =
        f.run(
            """
            version: 1
            name: capped
            nodes:
              capped:
                agent: command
                logs: {max: 64KiB}
                command: "seq -f '%099g' 1 2000; seq -f '%099g' 1 2000 >&2"
            """);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    Path attempt = store.runDirectory(result.runId()).resolve("nodes/capped/1");
    int kept = (32 << 10) / 100; // lines of the head, and of the tail
    for (String stream : List.of("stdout", "stderr")) {
      List<String> lines = Files.readAllLines(attempt.resolve(stream + ".log"));
      assertThat(lines).hasSize(2 * kept + 1);
      assertThat(lines.get(kept - 1)).isEqualTo("%099d".formatted(kept));
      assertThat(lines.get(kept))
          .isEqualTo(
              String.format(
                  java.util.Locale.ROOT,
                  "[orchestra: %,d lines (%d KiB) of %s were left out here: the records keep the"
                      + " first 32 KiB and the last 32 KiB of each stream of an attempt; a node's"
                      + " logs: {max: SIZE} keeps more, logs: {max: unlimited} all]",
                  2000 - 2 * kept,
                  (2000 - 2 * kept) * 100 / 1024,
                  stream));
      assertThat(lines.get(kept + 1)).isEqualTo("%099d".formatted(2000 - kept + 1));
      assertThat(lines.get(2 * kept)).isEqualTo("%099d".formatted(2000));
    }
  }

  @Test
  void logsMaxUnlimitedInATrustedRunKeepsTheFullStream() throws Exception {
    // 100,000 lines of 100 characters: 10 MB, more than the default 8 MiB.
    Workflow workflow =
        dev.orchestra.workflow.validate.Workflows.load(
            f.write(
                "full.yaml",
                """
                version: 1
                name: full
                nodes:
                  full:
                    agent: command
                    logs: {max: unlimited}
                    command: "seq -f '%099g' 1 100000"
                """),
            ValidationOptions.defaults().withTrust(Trust.LOCAL));
    RunResult result =
        f.engine()
            .start(workflow, RunOptions.defaults().withTrust(Trust.LOCAL).withListener(f::record))
            .await(Duration.ofMinutes(2))
            .orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    List<String> lines =
        Files.readAllLines(store.runDirectory(result.runId()).resolve("nodes/full/1/stdout.log"));
    assertThat(lines).hasSize(100_000);
    assertThat(lines.get(0)).isEqualTo("%099d".formatted(1));
    assertThat(lines.get(99_999)).isEqualTo("%099d".formatted(100_000));
    assertThat(lines).noneMatch(l -> l.startsWith("[orchestra:"));
  }
}
