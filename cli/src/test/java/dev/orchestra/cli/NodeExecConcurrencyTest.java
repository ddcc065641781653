package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel stages: several {@code node exec} processes of one run writing its records at the same
 * time, each node printing many lines; afterwards {@code runs finish}, {@code runs show} and {@code
 * report} read one intact run.
 */
class NodeExecConcurrencyTest {
  private static final int PARALLEL = 5;
  private static final int LINES = 300;

  @TempDir Path dir;

  @Test
  void nodesRunningAtOnceLeaveIntactRecordsThatReadAsOneRun() throws Exception {
    PipelineWorkspace ws = new PipelineWorkspace(dir);
    StringBuilder yaml =
        new StringBuilder(
            """
            version: 1
            name: fan
            defaults: {agent: command, attempts: 1}
            nodes:
              start: {command: "echo go"}
            """);
    List<String> branches = new ArrayList<>();
    for (int i = 1; i <= PARALLEL; i++) {
      String id = "branch-" + i;
      branches.add(id);
      yaml.append("  ")
          .append(id)
          .append(": {needs: [start], command: 'i=0; while [ $i -lt ")
          .append(LINES)
          .append(" ]; do echo ")
          .append(id)
          .append(" line $i; i=$((i+1)); done'}\n");
    }
    yaml.append("  join: {needs: [")
        .append(String.join(", ", branches))
        .append("], command: \"echo joined\"}\n");
    ws.write("fan.yaml", yaml.toString());
    String run = ws.plan("fan.yaml").get("run").asText();
    assertThat(ws.exec(run, "start").exitCode()).isZero();

    List<Process> running = new ArrayList<>();
    for (String id : branches) {
      running.add(ws.start("node", "exec", "--run", run, "--node", id));
    }
    List<CliRun> ended = new ArrayList<>();
    for (int i = 0; i < running.size(); i++) {
      ended.add(PipelineWorkspace.finish(running.get(i), "node exec " + branches.get(i)));
    }
    CliRun join = ws.exec(run, "join");
    CliRun finish = ws.run("runs", "finish", run);
    CliRun show = ws.run("runs", "show", run);
    CliRun report = ws.run("report", run, "--junit", "junit.xml", "--html", "html", "--summary");

    assertThat(ended).allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
    assertThat(join.exitCode()).as(join.err()).isZero();
    assertThat(finish.exitCode()).as(finish.err()).isZero();
    List<RecordedEvent> events = ws.store().events(run);
    assertThat(events)
        .extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(events).extracting(RecordedEvent::time).isSorted();
    Map<String, List<String>> lines =
        events.stream()
            .filter(e -> e.event() instanceof Event.NodeOutput)
            .map(e -> (Event.NodeOutput) e.event())
            .collect(
                Collectors.groupingBy(
                    Event.NodeOutput::node,
                    Collectors.mapping(Event.NodeOutput::text, Collectors.toList())));
    for (String id : branches) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < LINES; i++) {
        expected.add(id + " line " + i);
      }
      assertThat(lines.get(id)).as("the output of " + id + ", in order").isEqualTo(expected);
    }
    RunResult result = ws.store().result(run).orElseThrow();
    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().values())
        .extracting(n -> n.status())
        .containsOnly(NodeStatus.SUCCEEDED);
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("status:   succeeded").contains("branch-" + PARALLEL);
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out())
        .contains("succeeded: " + (PARALLEL + 2) + "/" + (PARALLEL + 2) + " nodes");
    String junit = Files.readString(dir.resolve("junit.xml"));
    assertThat(junit.split("<testcase ", -1)).hasSize(PARALLEL + 3);
    assertThat(dir.resolve("html/index.html")).exists();
  }
}
