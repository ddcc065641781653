package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.OutputStream;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Logs;
import dev.orchestra.workflow.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CappedOutputTest {
  private final List<String> passed = new ArrayList<>();

  @Test
  void passesEverythingUnmarkedWhileTheOutputFits() {
    CappedOutput.Attempt output =
        new CappedOutput.Attempt(
            Logs.DEFAULT,
            (stream, line) -> passed.add(stream.wireName() + " " + line),
            (stream, text) -> passed.add("event " + stream + " " + text));

    output.record(OutputStream.STDOUT, "one");
    output.event("stdout", "one");
    output.record(OutputStream.STDERR, "two");
    output.finish();

    assertThat(passed).containsExactly("stdout one", "event stdout one", "stderr two");
  }

  @Test
  void aNodesLogsCapSplitsIntoHeadAndTailAndAnUntrustedRunKeepsAtMostTheCeiling() {
    NodeSpec big = NodeSpec.builder("n").logs(new Logs(1L << 30)).build();
    NodeSpec all = NodeSpec.builder("n").logs(Logs.UNLIMITED).build();
    NodeSpec none = NodeSpec.builder("n").build();

    assertThat(CappedOutput.logs(big, Trust.LOCAL).max()).isEqualTo(1L << 30);
    assertThat(CappedOutput.logs(big, Trust.UNTRUSTED).max()).isEqualTo(Logs.UNTRUSTED_CEILING);
    assertThat(CappedOutput.logs(all, Trust.LOCAL).isUnlimited()).isTrue();
    assertThat(CappedOutput.logs(all, Trust.UNTRUSTED).max()).isEqualTo(256L << 20);
    assertThat(CappedOutput.logs(none, Trust.UNTRUSTED)).isEqualTo(Logs.DEFAULT);
    assertThat(CappedOutput.records(Logs.DEFAULT))
        .isEqualTo(new CappedOutput.Limits(4L << 20, Long.MAX_VALUE, 4L << 20, Long.MAX_VALUE));
    assertThat(CappedOutput.records(new Logs(3001)))
        .isEqualTo(new CappedOutput.Limits(1500, Long.MAX_VALUE, 1501, Long.MAX_VALUE));
  }

  @Test
  void keepsTheFirstAndLastEventsAndSaysOnceWhenAndOnceHowMuchWasLeftOut() {
    CappedOutput<String> events =
        CappedOutput.events((stream, text) -> passed.add(stream + " " + text));

    for (int i = 1; i <= 20_000; i++) {
      events.accept("stdout", "line " + i);
    }
    assertThat(passed).hasSize(10_001);
    events.finish();

    assertThat(passed).hasSize(10_000 + 1 + 1 + 1_000);
    assertThat(passed.get(9_999)).isEqualTo("stdout line 10000");
    assertThat(passed.get(10_000))
        .isEqualTo(
            "stderr orchestra: this attempt's output passed 1.0 MiB or 10,000 lines; later lines"
                + " are not sent as events until it ends, when the last ones follow (the records"
                + " keep more: orchestra runs logs)");
    assertThat(passed.get(10_001))
        .isEqualTo(
            "stderr orchestra: 9,000 lines (96 KiB) of output were left out of the events here");
    assertThat(passed.get(10_002)).isEqualTo("stdout line 19001");
    assertThat(passed.get(passed.size() - 1)).isEqualTo("stdout line 20000");
  }

  @Test
  void passesTheTailWithoutAMarkWhenNothingWasDropped() {
    CappedOutput<String> events =
        CappedOutput.events((stream, text) -> passed.add(stream + " " + text));

    for (int i = 1; i <= 10_500; i++) {
      events.accept("stdout", "l" + i);
    }
    events.finish();

    assertThat(passed).hasSize(10_501);
    assertThat(passed.get(10_000)).startsWith("stderr orchestra: this attempt's output passed");
    assertThat(passed.get(10_001)).isEqualTo("stdout l10001");
  }
}
