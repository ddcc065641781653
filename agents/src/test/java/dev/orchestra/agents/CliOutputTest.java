package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.OutputStream;
import org.junit.jupiter.api.Test;

class CliOutputTest {
  final RecordingSink sink = new RecordingSink();
  final CliOutput output = new CliOutput();

  @Test
  void jsonObjectsOnStdoutAreEventsAndEverythingElseIsShownAsItIs() {
    assertThat(output.event(OutputStream.STDOUT, "{\"type\":\"init\"}", sink))
        .hasValueSatisfying(e -> assertThat(e.path("type").asText()).isEqualTo("init"));
    assertThat(output.event(OutputStream.STDOUT, "Warning: old node", sink)).isEmpty();
    assertThat(output.event(OutputStream.STDERR, "{\"type\":\"init\"}", sink)).isEmpty();

    assertThat(sink.outputs())
        .containsExactly("stdout: Warning: old node", "stderr: {\"type\":\"init\"}");
    assertThat(output.stdout()).isEqualTo("Warning: old node");
    assertThat(output.stderr()).isEqualTo("{\"type\":\"init\"}");
  }
}
