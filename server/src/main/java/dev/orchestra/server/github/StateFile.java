package dev.orchestra.server.github;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orchestra.OrchestraException;
import dev.orchestra.server.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One JSON file of what the triggers keep across restarts ({@code pending.json}, {@code runs.json},
 * {@code check-runs.json}), replaced whole on every change: written to a temporary file in the same
 * directory, flushed to disk, then moved over the old one, so that a crash (even {@code kill -9} or
 * a power loss) leaves the old or the new content, never a mix. Not thread-safe: callers write
 * under their own lock.
 */
final class StateFile<T> {
  private final Path file;
  private final TypeReference<T> type;

  StateFile(Path file, TypeReference<T> type) {
    this.file = file;
    this.type = type;
  }

  Path path() {
    return file;
  }

  /**
   * The file's content, empty when there is none yet.
   *
   * @throws OrchestraException naming the file when it cannot be read: the server does not start
   *     forgetting what it holds
   */
  Optional<T> read() {
    try {
      return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read " + file + ": " + e.getMessage() + "; fix or delete it", e);
    }
  }

  /** Replaces the file's content with {@code value}, on disk when this returns. */
  void write(T value) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(value));
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        try {
          Files.move(
              tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      throw new OrchestraException("cannot write " + file + ": " + e, e);
    }
  }

  /** Makes the rename durable; a file system that cannot open a directory has nothing to sync. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every platform opens a directory as a channel (Windows); the rename is then as
      // durable as that file system makes it.
    }
  }
}
