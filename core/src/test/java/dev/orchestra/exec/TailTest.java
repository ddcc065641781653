package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailTest {

  @Test
  void keepsEverythingThatFits() {
    var tail = new Tail(64).appendLine("one").appendLine("two");

    assertThat(tail).hasToString("one\ntwo\n");
    assertThat(tail.truncated()).isFalse();
  }

  @Test
  void keepsOnlyTheLastBytesOfALongText() {
    var tail = Tail.forFeedback();
    for (int i = 1; i <= 10_000; i++) {
      tail.appendLine("line " + i);
    }

    String kept = tail.toString();
    assertThat(kept.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(kept).endsWith("line 9999\nline 10000\n");
    assertThat(tail.truncated()).isTrue();
  }

  @Test
  void neverCutsAMultiByteCharacter() {
    // Three-byte characters do not divide 4096 evenly; the cut must fall between characters.
    String kept = Tail.of("€".repeat(5000), 4096);

    assertThat(kept).matches("€+");
    assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(4095);
  }

  @Test
  void keepsSurrogatePairsTogether() {
    String kept = Tail.of("😀".repeat(3000), 4094);

    assertThat(kept).matches("(😀)+");
    assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(4092);
  }
}
