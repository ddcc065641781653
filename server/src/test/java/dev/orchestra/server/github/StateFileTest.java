package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orchestra.OrchestraException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  @TempDir Path dir;

  private StateFile<Map<String, List<String>>> file(Path f) {
    return new StateFile<>(f, new TypeReference<>() {});
  }

  @Test
  void aFileNotWrittenYetIsEmptyAndAWrittenOneReadsBackWithNoTemporaryLeft() throws Exception {
    Path f = dir.resolve("github/runs.json");
    assertThat(file(f).read()).isEmpty();
    file(f).write(Map.of("octo/app#1", List.of("a", "b")));
    file(f).write(Map.of("octo/app#1", List.of("c")));
    assertThat(file(f).read()).contains(Map.of("octo/app#1", List.of("c")));
    try (var names = Files.list(f.getParent())) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("runs.json");
    }
  }

  @Test
  void aFileThatCannotBeReadIsAnErrorNamingIt() throws Exception {
    Path f = dir.resolve("pending.json");
    Files.writeString(f, "{\"octo/app#1\": [");
    assertThatThrownBy(() -> file(f).read())
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("fix or delete it");
  }
}
