package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolLineTest {
  final ObjectMapper json = new ObjectMapper();
  final Path ws = Path.of("/work/ws");
  final List<String> keys = List.of("file_path", "command");

  @Test
  void namesTheToolAndWhatItActsOnRelativeToTheWorkspace() throws Exception {
    assertThat(
            ToolLine.of(
                "Write", json.readTree("{\"file_path\":\"/work/ws/src/A.java\"}"), keys, ws))
        .isEqualTo("tool Write src/A.java");
    assertThat(ToolLine.of("Read", json.readTree("{\"file_path\":\"/etc/hosts\"}"), keys, ws))
        .isEqualTo("tool Read /etc/hosts");
    assertThat(
            ToolLine.of("Bash", json.readTree("{\"command\":\"make test\\nmake lint\"}"), keys, ws))
        .isEqualTo("tool Bash make test");
    assertThat(ToolLine.of("TodoWrite", json.readTree("{\"todos\":[]}"), keys, ws))
        .isEqualTo("tool TodoWrite");
  }

  @Test
  void cutsLongDetailsToOneShortLine() throws Exception {
    String line =
        ToolLine.of("Bash", json.readTree("{\"command\":\"" + "x".repeat(500) + "\"}"), keys, ws);

    assertThat(line).hasSize(160).endsWith("…");
  }

  @Test
  void showsTheFirstOfTheKeysThatHoldsText() throws Exception {
    var input = json.readTree("{\"command\":\"  \",\"path\":\"/work/ws/a\",\"url\":\"u\"}");

    assertThat(ToolLine.of("Fetch", input, List.of("command", "url", "path"), ws))
        .isEqualTo("tool Fetch u");
    assertThat(ToolLine.relative("/work/wsx/a", ws)).isEqualTo("/work/wsx/a");
  }
}
