package dev.orchestra.store.file;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so that readers see either the old or the new content, never a part. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code text} to a temporary file next to {@code target}, forces it to disk and moves it
   * over {@code target}. When writing fails (e.g. the disk is full) the temporary file is removed
   * and {@code target} is left as it was.
   */
  static void write(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    // FileOutputStream rather than Files.newOutputStream: its writes are not interruptible, so an
    // interrupted caller cannot close the file under us.
    try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.getFD().sync();
    } catch (IOException e) {
      // A full disk: leave no half-written file next to the target.
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code text} plainly (for records that are written once and never replaced). */
  static void writePlain(Path target, String text) throws IOException {
    try (FileOutputStream out = new FileOutputStream(target.toFile())) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
