package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's decisions on disk; what every store promises is in RunStoreContract. */
class FileRunStoreDecisionsTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:15:00Z");
  static final String RUN = "20261201-101500-3fa2";

  @TempDir Path dir;
  FileRunStore store;

  @BeforeEach
  void createRun() {
    store = FileRunStore.at(dir);
    store.create(new RunInfo(RUN, "demo", "flow.yaml", "version: 1\n", Map.of(), T0)).close();
  }

  @Test
  void writesTheDecisionIntoTheNodesRecordsAndLeavesNoTemporaryFile() throws Exception {
    store.decide(RUN, "review/gate", Decision.approve("alice", "fine", T0));

    Path nodeDir = dir.resolve(RUN).resolve("nodes/review.gate");
    assertThat(Files.readString(nodeDir.resolve("approval.json")))
        .isEqualTo(
            """
            {
              "node" : "review/gate",
              "decision" : "approved",
              "by" : "alice",
              "comment" : "fine",
              "time" : "2026-12-01T10:15:00Z"
            }
            """);
    try (Stream<Path> files = Files.list(nodeDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("approval.json");
    }
  }

  @Test
  void aWatchReportsADecisionRecordedWhileItWasBeingSetUp() throws Exception {
    store.decide(RUN, "deploy", Decision.approve("alice", null, T0));
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    try (DecisionWatch w = store.watchDecisions(RUN, List.of("deploy"), heard::add)) {
      assertThat(heard.poll(60, TimeUnit.SECONDS)).isEqualTo("deploy");
    }
  }
}
