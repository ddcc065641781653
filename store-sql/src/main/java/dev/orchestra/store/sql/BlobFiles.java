package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The blob directory: the large texts of attempts, as files, in {@code
 * BLOBS/RUN_ID/nodes/NODE/ATTEMPT/} ({@code prompt.txt}, {@code stdout.log}, {@code stderr.log},
 * {@code output.txt}), which is also the attempt's working directory. Rows name the directory
 * relative to {@code BLOBS}, so the directory can move with the database. Node ids are URL-encoded
 * (dots too), so no id leaves it.
 */
final class BlobFiles {
  static final String PROMPT = "prompt.txt";
  static final String STDOUT = "stdout.log";
  static final String STDERR = "stderr.log";
  static final String OUTPUT = "output.txt";

  private final Path root;

  BlobFiles(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The directory of one attempt, relative to the root, with {@code /} separators. */
  static String relative(String runId, String node, int attempt) {
    String name = URLEncoder.encode(node, StandardCharsets.UTF_8).replace(".", "%2E");
    return runId + "/nodes/" + name + "/" + attempt;
  }

  Path resolve(String relative) {
    Path dir = root.resolve(relative).normalize();
    if (!dir.startsWith(root)) {
      throw new OrchestraException(
          "the database names blob directory '" + relative + "', which is outside " + root);
    }
    return dir;
  }

  Path create(String relative) {
    Path dir = resolve(relative);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot create the blob directory "
              + dir
              + ": "
              + e
              + "; check free space and permissions",
          e);
    }
    return dir;
  }

  /** Writes {@code text} as {@code file}, whole. */
  static void write(Path file, String text) {
    // FileOutputStream rather than Files.write: its writes are not interruptible.
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e + "; check free space and permissions", e);
    }
  }

  /** The text of {@code file}, or {@code null} when there is none. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file + ": " + e, e);
    }
  }
}
