package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.agent.AgentRequest;
import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentHomeTest {
  @TempDir Path dir;

  AgentRequest attempt(int n) {
    return new AgentRequest(
        "r",
        "n",
        n,
        (NodeSpec) null,
        "p",
        null,
        null,
        dir,
        dir.resolve("runs/r/nodes/n/" + n),
        Map.of());
  }

  @Test
  void isOneOwnerOnlyDirectoryPerNodeSharedByItsAttempts() throws Exception {
    Path first = AgentHome.of(attempt(1));
    Path second = AgentHome.of(attempt(2));

    assertThat(first).isEqualTo(second).isEqualTo(dir.resolve("runs/r/nodes/n/home"));
    assertThat(Files.getPosixFilePermissions(first))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void writesConfigurationFilesOwnerOnlyInsideTheHomeOnly() throws Exception {
    Path home = AgentHome.of(attempt(1));

    Path file = AgentHome.write(home, ".gemini/settings.json", "{}");

    assertThat(file).hasContent("{}");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(() -> AgentHome.write(home, "../escape", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
