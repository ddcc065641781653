package dev.orchestra.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.Usage;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveViewTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path dir;

  private NodeLayout layout() throws IOException {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: live
        defaults: {agent: command, attempts: 3}
        nodes:
          test:
            needs: [build]
            command: echo test
          build:
            command: echo build
          lint:
            command: echo lint
        """);
    Workflow wf = Workflows.load(file, (Map<String, String>) null);
    return NodeLayout.of(wf);
  }

  private static RecordedEvent at(long seq, int seconds, Event e) {
    return new RecordedEvent(seq, T0.plusSeconds(seconds), "r1", e);
  }

  private static String plain(String line) {
    return line.replaceAll("\033\\[[0-9;]*[A-Za-z]", "");
  }

  @Test
  void showsNodesInTopologicalOrderIndentedByDepthWithAttemptElapsedAndLastLine()
      throws IOException {
    Clock clock = Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC);
    LiveView view = new LiveView(new PrintWriter(new StringWriter()), layout(), clock, 80, 20);
    view.onEvent(at(1, 0, new Event.RunStarted("live", Map.of(), false)));
    view.onEvent(at(2, 0, new Event.NodeStarted("build", 1)));
    view.onEvent(at(3, 1, new Event.NodeOutput("build", "stdout", "compiling 12 classes")));
    view.onEvent(
        at(
            4,
            2,
            new Event.NodeFinished("build", NodeStatus.SUCCEEDED, 1, 2000, null, Usage.ZERO, "")));
    view.onEvent(at(5, 3, new Event.NodeStarted("test", 2)));
    view.onEvent(
        at(
            6,
            3,
            new Event.NodeOutput(
                "test", "stdout", "a very long line of output " + "x".repeat(200))));

    List<String> frame = view.frame().stream().map(LiveViewTest::plain).toList();

    assertThat(frame.get(0)).startsWith("running").contains("1/3 nodes done").contains("5.0s");
    assertThat(frame.get(1))
        .startsWith("✓ build")
        .contains("succeeded")
        .contains("1/3")
        .contains("2.0s");
    assertThat(frame.get(2)).startsWith("· lint").contains("pending");
    assertThat(frame.get(3))
        .startsWith("▶   test")
        .contains("running")
        .contains("2/3")
        .contains("2.0s")
        .contains("a very long");
    assertThat(frame).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
  }

  @Test
  void redrawsInPlaceByMovingTheCursorUpOverThePreviousFrame() throws IOException {
    StringWriter out = new StringWriter();
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    LiveView view = new LiveView(new PrintWriter(out), layout(), clock, 80, 20);
    view.onEvent(at(1, 0, new Event.RunStarted("live", Map.of(), false)));
    int first = out.toString().length();
    view.finish(
        new dev.orchestra.store.RunResult(
            "r1", "live", dev.orchestra.event.RunStatus.SUCCEEDED, null, T0, T0, null, Map.of()),
        dir);

    String redraw = out.toString().substring(first);
    // The header and three nodes were drawn: the next frame starts four lines up.
    assertThat(redraw).startsWith("\033[4F\033[2K");
    assertThat(redraw).contains("run r1 succeeded");
  }

  @Test
  void showsNodesThatSucceededBeforeAResumeAsSucceeded() throws IOException {
    Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    LiveView view = new LiveView(new PrintWriter(new StringWriter()), layout(), clock, 80, 20);
    view.replay(
        List.of(
            at(1, 0, new Event.RunStarted("live", Map.of(), false)),
            at(2, 0, new Event.NodeStarted("build", 1)),
            at(
                3,
                1,
                new Event.NodeFinished(
                    "build", NodeStatus.SUCCEEDED, 1, 1000, null, Usage.ZERO, ""))));
    view.onEvent(at(4, 50, new Event.RunStarted("live", Map.of(), true)));

    List<String> frame = view.frame().stream().map(LiveViewTest::plain).toList();

    assertThat(frame.get(1)).startsWith("✓ build").contains("succeeded");
    assertThat(frame.get(0)).contains("1/3 nodes done");
  }
}
