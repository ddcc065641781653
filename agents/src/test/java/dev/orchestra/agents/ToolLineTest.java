package dev.orchestra.agents.claude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ToolLineTest {
  final ObjectMapper json = new ObjectMapper();
  final Path ws = Path.of("/work/ws");

  @Test
  void namesTheToolAndWhatItActsOnRelativeToTheWorkspace() throws Exception {
    assertThat(ToolLine.of("Write", json.readTree("{\"file_path\":\"/work/ws/src/A.java\"}"), ws))
        .isEqualTo("tool Write src/A.java");
    assertThat(ToolLine.of("Read", json.readTree("{\"file_path\":\"/etc/hosts\"}"), ws))
        .isEqualTo("tool Read /etc/hosts");
    assertThat(ToolLine.of("Bash", json.readTree("{\"command\":\"make test\\nmake lint\"}"), ws))
        .isEqualTo("tool Bash make test");
    assertThat(ToolLine.of("TodoWrite", json.readTree("{\"todos\":[]}"), ws))
        .isEqualTo("tool TodoWrite");
  }

  @Test
  void cutsLongDetailsToOneShortLine() throws Exception {
    String line =
        ToolLine.of("Bash", json.readTree("{\"command\":\"" + "x".repeat(500) + "\"}"), ws);

    assertThat(line).hasSize(160).endsWith("…");
  }
}
