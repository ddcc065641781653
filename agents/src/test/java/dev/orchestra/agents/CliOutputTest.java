package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliOutputTest {
  final List<String> shown = new ArrayList<>();
  final AgentSink sink =
      new AgentSink() {
        @Override
        public void output(String stream, String text) {
          shown.add(stream + ": " + text);
        }

        @Override
        public void usage(Usage usage) {}
      };
  final CliOutput output = new CliOutput();

  @Test
  void jsonObjectsOnStdoutAreEventsAndEverythingElseIsShownAsItIs() {
    assertThat(output.event(OutputStream.STDOUT, "{\"type\":\"init\"}", sink))
        .hasValueSatisfying(e -> assertThat(e.path("type").asText()).isEqualTo("init"));
    assertThat(output.event(OutputStream.STDOUT, "Warning: old node", sink)).isEmpty();
    assertThat(output.event(OutputStream.STDERR, "{\"type\":\"init\"}", sink)).isEmpty();

    assertThat(shown).containsExactly("stdout: Warning: old node", "stderr: {\"type\":\"init\"}");
    assertThat(output.stdout()).isEqualTo("Warning: old node");
    assertThat(output.stderr()).isEqualTo("{\"type\":\"init\"}");
  }
}
