package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException.LaunchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramCacheTest {
  @TempDir Path dir;

  private Path program(String parent) throws IOException {
    Path file = Files.createDirectories(dir.resolve(parent)).resolve("tool");
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void findsAProgramOnPathAndAgainAfterItMoved() throws IOException {
    Path first = program("first");
    Path second = program("second");
    String path = dir.resolve("first") + ":" + dir.resolve("second");
    var cache = new ProgramCache();

    assertThat(cache.requireExecutable("tool", path, dir)).isEqualTo(first.toString());
    assertThat(cache.requireExecutable("tool", path, dir)).isEqualTo(first.toString());

    Files.delete(first);
    assertThat(cache.requireExecutable("tool", path, dir)).isEqualTo(second.toString());

    Files.delete(second);
    assertThatThrownBy(() -> cache.requireExecutable("tool", path, dir))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("program 'tool' not found on PATH");
  }

  @Test
  void aProgramThatIsNoLongerExecutableIsSearchedForAgain() throws IOException {
    Path file = program("bin");
    String path = dir.resolve("bin").toString();
    var cache = new ProgramCache();
    assertThat(cache.requireExecutable("tool", path, dir)).isEqualTo(file.toString());

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> cache.requireExecutable("tool", path, dir))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("not found on PATH");
  }

  @Test
  void aRelativePathEntryIsResolvedInEachWorkingDirectory() throws IOException {
    Path inA = program("a/bin");
    Path inB = program("b/bin");
    var cache = new ProgramCache();

    assertThat(cache.requireExecutable("tool", "bin", dir.resolve("a"))).isEqualTo(inA.toString());
    assertThat(cache.requireExecutable("tool", "bin", dir.resolve("b"))).isEqualTo(inB.toString());
  }
}
