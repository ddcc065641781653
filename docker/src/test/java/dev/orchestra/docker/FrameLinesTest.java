package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLinesTest {
  private final List<String> lines = new ArrayList<>();
  private final FrameLines out = new FrameLines(OutputStream.STDOUT, (s, l) -> lines.add(l));

  private void feed(String s) {
    out.accept(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void joinsLinesSplitAcrossFramesAndDropsCarriageReturns() {
    feed("hel");
    feed("lo\r\nwor");
    feed("ld\nlast");

    assertThat(lines).containsExactly("hello", "world");
    out.finish();
    assertThat(lines).containsExactly("hello", "world", "last");
  }

  @Test
  void keepsAMultiByteCharacterSplitBetweenFrames() {
    byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
    out.accept(new byte[] {euro[0]});
    out.accept(new byte[] {euro[1], euro[2], euro[3]});

    assertThat(lines).containsExactly("€");
  }

  @Test
  void aReplayDeliversOnlyWhatTheLiveStreamMissed() {
    feed("one\ntw");
    out.seal();
    out.accept("late live bytes\n".getBytes(StandardCharsets.UTF_8)); // after seal: dropped
    out.acceptReplay("on".getBytes(StandardCharsets.UTF_8));
    out.acceptReplay("e\ntwo\nthr".getBytes(StandardCharsets.UTF_8));
    out.acceptReplay("ee".getBytes(StandardCharsets.UTF_8));
    out.finish();

    assertThat(lines).containsExactly("one", "two", "three");
  }

  @Test
  void cutsALineLongerThanTheLimitIntoPieces() {
    byte[] big = new byte[FrameLines.MAX_LINE_BYTES + 10];
    java.util.Arrays.fill(big, (byte) 'x');
    out.accept(big);
    out.finish();

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(FrameLines.MAX_LINE_BYTES);
    assertThat(lines.get(1)).hasSize(10);
  }
}
