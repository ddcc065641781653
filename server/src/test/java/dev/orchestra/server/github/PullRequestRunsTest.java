package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullRequestRunsTest {
  @TempDir Path dir;
  final Set<String> active = new HashSet<>();

  private PullRequestRuns open() {
    return new PullRequestRuns(dir.resolve("runs.json"), active::contains);
  }

  private static PullRequestTriggers.Target at(int number, String sha) {
    return new PullRequestTriggers.Target("Octo/App", number, sha, "main", "https://x", false);
  }

  @Test
  void aNewInstanceOnTheFileKnowsTheRunsAndTheLatestHeads() {
    PullRequestRuns runs = open();
    runs.head(at(1, "a"));
    runs.add(at(1, "a"), "r1", "check");
    active.add("r1");
    runs.head(at(1, "b"));

    PullRequestRuns again = open();
    assertThat(again.of("octo/app#1")).extracting(PullRequestRuns.Run::runId).containsExactly("r1");
    assertThat(again.of("octo/app#1").get(0).target()).isEqualTo(at(1, "a"));
    assertThat(again.unreported()).extracting(PullRequestRuns.Run::runId).containsExactly("r1");
    assertThat(again.isHead(at(1, "b"))).isTrue();
    assertThat(again.isHead(at(1, "a"))).as("superseded").isFalse();
  }

  @Test
  void aReportedRunIsDroppedOnceItEndedAndItsHeadIsNoLongerThePullRequests() {
    PullRequestRuns runs = open();
    runs.add(at(2, "a"), "r1", "check");
    active.add("r1");
    runs.reported("r1");
    assertThat(runs.of("octo/app#2")).as("its head is still the latest").hasSize(1);
    runs.head(at(2, "b"));
    assertThat(runs.of("octo/app#2")).as("it still runs").hasSize(1);
    active.remove("r1");
    runs.add(at(2, "b"), "r2", "check");
    assertThat(open().of("octo/app#2"))
        .extracting(PullRequestRuns.Run::runId)
        .containsExactly("r2");
    assertThat(open().unreported()).extracting(PullRequestRuns.Run::runId).containsExactly("r2");
  }
}
