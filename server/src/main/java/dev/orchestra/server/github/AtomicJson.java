package dev.orchestra.server.github;

import dev.orchestra.OrchestraException;
import dev.orchestra.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the triggers' state files so that a crash leaves the old content or the new, never part.
 */
final class AtomicJson {
  private AtomicJson() {}

  /** Writes {@code value} as JSON to a temporary file next to {@code file}, then moves it over. */
  static void write(Path file, Object value) {
    Path dir = file.getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(value));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot write " + file + ": " + e, e);
    }
  }
}
