package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.NodeOptions;
import dev.orchestra.engine.NodeRun;
import dev.orchestra.engine.PlannedRuns;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.testing.EngineRun;
import dev.orchestra.trust.Trust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of a planned run whose nodes are recorded by processes of their own: each node's
 * events in a file of its own, merged for readers, folded into the run's events when the run is
 * taken up again; and a run planned in one workspace, run node by node in others, finished where it
 * began, with only the files the plan's stashes name moved between them.
 */
class PlannedRecordsTest {
  private static final String RUN = "20261201-101500-3fa2";
  private static final Instant T = Instant.parse("2026-12-01T10:15:00Z");

  @TempDir Path dir;

  private FileRunStore created() {
    FileRunStore store = FileRunStore.under(dir);
    try (RunRecorder run =
        store.create(new RunInfo(RUN, "w", "w.yaml", "version: 1", Map.of(), T))) {
      run.append(event(1, 0, new Event.RunStarted("w", Map.of(), false)));
    }
    return store;
  }

  private static RecordedEvent event(long seq, long millis, Event e) {
    return new RecordedEvent(seq, T.plusMillis(millis), RUN, e);
  }

  @Test
  void nodesRecordAtOnceIntoFilesOfTheirOwnAndReadersSeeOneRunInTimeOrder() throws IOException {
    FileRunStore store = created();

    try (RunRecorder a = store.recordNode(RUN, "a");
        RunRecorder b = store.recordNode(RUN, "b")) {
      a.append(event(2, 10, new Event.NodeStarted("a", 1)));
      b.append(event(2, 5, new Event.NodeStarted("b", 1)));
      b.append(event(3, 30, new Event.NodeStarted("b", 2)));
      a.append(event(3, 20, new Event.NodeStarted("a", 2)));

      assertThatThrownBy(() -> store.recordNode(RUN, "a"))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("node 'a' of run " + RUN + " is being run by another process");
      assertThatThrownBy(() -> store.reopen(RUN))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("is in use by another process");
    }

    assertThat(store.events(RUN))
        .extracting(e -> e.seq() + " " + e.event().node() + " " + e.time().toEpochMilli() % 1000)
        .containsExactly("1 null 0", "2 b 5", "3 a 10", "4 a 20", "5 b 30");
    assertThat(Files.exists(dir.resolve(".orchestra/runs/" + RUN + "/nodes/a/events.jsonl")))
        .isTrue();
  }

  @Test
  void takingTheRunUpAgainFoldsTheNodesEventsIntoItsOwnAndACopyBroughtBackCountsOnce()
      throws IOException {
    FileRunStore store = created();
    Path runDir = store.runDirectory(RUN);
    try (RunRecorder a = store.recordNode(RUN, "a")) {
      a.append(event(2, 10, new Event.NodeStarted("a", 1)));
    }
    Path segment = runDir.resolve("nodes/a/events.jsonl");
    Path stashed = Files.copy(segment, dir.resolve("stashed.jsonl"));

    try (RunRecorder run = store.reopen(RUN)) {
      assertThatThrownBy(() -> store.recordNode(RUN, "b"))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("it is being run, resumed or finished");
    }
    List<String> folded = Files.readAllLines(runDir.resolve("events.jsonl"));
    Files.copy(stashed, segment, StandardCopyOption.REPLACE_EXISTING);

    assertThat(folded).hasSize(2);
    assertThat(store.events(RUN)).extracting(RecordedEvent::seq).containsExactly(1L, 2L);
  }

  @Test
  void aTornLastEventOfAKilledNodeProcessIsNoEvent() throws IOException {
    FileRunStore store = created();
    try (RunRecorder a = store.recordNode(RUN, "a")) {
      a.append(event(2, 10, new Event.NodeStarted("a", 1)));
    }
    Files.writeString(
        store.runDirectory(RUN).resolve("nodes/a/events.jsonl"),
        "{\"seq\":3,\"ty",
        java.nio.file.StandardOpenOption.APPEND);

    assertThat(store.events(RUN)).hasSize(2);
    try (RunRecorder a = store.recordNode(RUN, "a")) {
      a.append(event(3, 20, new Event.NodeStarted("a", 2)));
    }
    assertThat(store.events(RUN)).hasSize(3);
  }

  @Test
  void keepsThePlannedFiles() {
    FileRunStore store = created();

    store.planFiles(RUN, Map.of("agents/review.yaml", "version: 1", "../prompt.md", "hi"));

    assertThat(store.planFiles(RUN))
        .containsOnly(
            Map.entry("agents/review.yaml", "version: 1"), Map.entry("../prompt.md", "hi"));
  }

  /**
   * As a Jenkins build with {@code label}: plan in the build's workspace, each node in a workspace
   * of its own that gets the run's stash and its upstream nodes' stashes, the nodes' stashes back
   * into the build's workspace, finish there.
   */
  @Test
  void aRunPlannedInOneWorkspaceRunsItsNodesInOthersAndFinishesWhereItBegan() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    String yaml =
        """
        version: 1
        name: relay
        defaults: {agent: command, attempts: 1}
        nodes:
          first:
            prompt: "from first"
            command: 'cat "$ORCHESTRA_PROMPT_FILE"'
          second:
            needs: [first]
            prompt: "{{ nodes.first.output }}, then second"
            command: 'cat "$ORCHESTRA_PROMPT_FILE"'
          third:
            needs: [second]
            command: "exit 1"
          last:
            needs: [third]
            command: "true"
        """;
    String runId;
    try (EngineRun planner = new EngineRun(home, FileRunStore.under(home), Map.of())) {
      runId =
          planner
              .engine()
              .planned(Trust.UNTRUSTED)
              .plan(planner.workflow(yaml), Map.of(), null)
              .runId();
    }
    String records = ".orchestra/runs/" + runId + "/";
    List<String> runStash = List.of("run.json", "workflow.yaml", "events.jsonl", "plan");

    NodeStatus first = inOtherWorkspace("first", runId, home, runStash, List.of());
    NodeStatus second = inOtherWorkspace("second", runId, home, runStash, List.of("first"));
    NodeStatus third = inOtherWorkspace("third", runId, home, runStash, List.of("first", "second"));
    RunResult result;
    try (EngineRun finisher = new EngineRun(home, FileRunStore.under(home), Map.of())) {
      result = finisher.engine().planned(Trust.UNTRUSTED).finish(runId, null, List.of());
    }

    assertThat(List.of(first, second, third))
        .containsExactly(NodeStatus.SUCCEEDED, NodeStatus.SUCCEEDED, NodeStatus.ERROR);
    assertThat(result.status()).isEqualTo(RunStatus.FAILED);
    assertThat(result.nodes().get("second").output()).isEqualTo("from first, then second");
    assertThat(result.nodes().get("last").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("last").reason()).isEqualTo("upstream node 'third' error");
    FileRunStore store = FileRunStore.under(home);
    List<RecordedEvent> events = store.events(runId);
    assertThat(events).extracting(RecordedEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(events.size() - 1).event()).isInstanceOf(Event.RunFinished.class);
    try (Stream<Path> segments =
        Files.find(home.resolve(records + "nodes"), 2, (p, a) -> p.endsWith("events.jsonl"))) {
      assertThat(segments).isEmpty();
    }
  }

  /** Runs {@code node} in a fresh workspace with the stashes it needs, and stashes it back. */
  private NodeStatus inOtherWorkspace(
      String node, String runId, Path home, List<String> runStash, List<String> upstream)
      throws Exception {
    Path ws = Files.createDirectories(dir.resolve("agent-" + node));
    Path from = home.resolve(".orchestra/runs/" + runId);
    Path to = ws.resolve(".orchestra/runs/" + runId);
    for (String part : runStash) {
      copy(from.resolve(part), to.resolve(part));
    }
    for (String up : upstream) {
      copy(from.resolve("nodes/" + up), to.resolve("nodes/" + up));
    }
    NodeStatus status;
    try (EngineRun there = new EngineRun(ws, FileRunStore.under(ws), Map.of())) {
      PlannedRuns planned = there.engine().planned(Trust.UNTRUSTED);
      NodeRun run = planned.runNode(runId, node, NodeOptions.defaults());
      assertThat(run).isInstanceOf(NodeRun.Started.class);
      status =
          ((NodeRun.Started) run)
              .handle()
              .await(Duration.ofSeconds(60))
              .orElseThrow()
              .nodes()
              .get(node)
              .status();
    }
    copy(to.resolve("nodes/" + node), from.resolve("nodes/" + node));
    return status;
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.isDirectory(from)) {
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } else if (Files.exists(from)) {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
