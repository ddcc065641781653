package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import org.junit.jupiter.api.Test;

class MemorySizeTest {
  @Test
  void readsSizesAsDockerWritesThem() {
    assertThat(MemorySize.parse("32m")).isEqualTo(32L << 20);
    assertThat(MemorySize.parse("4g")).isEqualTo(4L << 30);
    assertThat(MemorySize.parse("512MB")).isEqualTo(512L << 20);
    assertThat(MemorySize.parse("10240k")).isEqualTo(10L << 20);
    assertThat(MemorySize.parse("8388608")).isEqualTo(8L << 20);
  }

  @Test
  void rejectsTextThatIsNotASizeNamingIt() {
    assertThatThrownBy(() -> MemorySize.parse("lots"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'lots'")
        .hasMessageContaining("512m");
  }

  @Test
  void rejectsALimitBelowDockersMinimum() {
    assertThatThrownBy(() -> MemorySize.parse("1m"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("at least 6m");
  }
}
