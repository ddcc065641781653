package dev.orchestra.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.RecordedPlans;
import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's {@code run-plan.json} is read when its plan is first asked for, not when the run is found
 * or listed; a torn or missing one means no plan, as before plans were recorded, and an unreadable
 * one is reported then, naming the file.
 */
class FileRunStorePlanTest {
  private static final String RUN = "20261204-120000-abcd";
  private static final String TEXT = "version: 1\nname: demo\nnodes:\n  a:\n    run: \"true\"\n";
  private static final RunPlan PLAN =
      new RunPlan(List.of(new PlannedNode("a", List.of(), "command", 1)), List.of());

  @TempDir Path runs;

  private FileRunStore recorded(RunPlan plan) {
    FileRunStore store = FileRunStore.at(runs);
    RunInfo info =
        new RunInfo(RUN, "demo", "flow.yaml", TEXT, Map.of(), Instant.EPOCH).withPlan(plan);
    store.create(info).close();
    return store;
  }

  private Path planFile() {
    return runs.resolve(RUN).resolve("run-plan.json");
  }

  @Test
  void readsThePlanItWroteWhenItIsAskedFor() {
    recorded(PLAN);

    assertThat(planFile()).isRegularFile();
    assertThat(FileRunStore.at(runs).find(RUN).orElseThrow().plan()).isEqualTo(PLAN);
  }

  @Test
  void aRecordFromBeforePlansHasNoneAndItsViewsParseTheWorkflow() throws Exception {
    recorded(null);

    assertThat(planFile()).doesNotExist();
    RunInfo found = FileRunStore.at(runs).find(RUN).orElseThrow();
    assertThat(found.plan()).isNull();
    assertThat(RecordedPlans.of(found).nodes()).extracting(PlannedNode::id).containsExactly("a");
  }

  @Test
  void aTornPlanCountsAsNoneAndItsViewsParseTheWorkflow() throws Exception {
    recorded(PLAN);
    Files.writeString(planFile(), "{\"nodes\": [{\"id\": \"a\"");

    RunInfo found = FileRunStore.at(runs).find(RUN).orElseThrow();
    assertThat(found.plan()).isNull();
    assertThat(RecordedPlans.of(found).nodes()).extracting(PlannedNode::id).containsExactly("a");
  }

  @Test
  void anUnreadablePlanIsReportedWhenAskedForNamingTheFileNotWhenTheRunIsFoundOrListed()
      throws Exception {
    recorded(PLAN);
    Files.delete(planFile());
    Files.createDirectory(planFile());
    FileRunStore store = FileRunStore.at(runs);

    assertThat(store.list()).extracting(RunSummary::id).containsExactly(RUN);
    RunInfo found = store.find(RUN).orElseThrow();
    assertThat(found.workflowText()).isEqualTo(TEXT);
    assertThatThrownBy(() -> RecordedPlans.of(found))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("cannot read the plan of run " + RUN + " in " + planFile());
  }
}
