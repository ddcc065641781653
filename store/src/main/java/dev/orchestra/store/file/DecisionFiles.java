package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.Decision;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decisions on approval gates as files: {@code nodes/NODE/approval.json}, one per node, next to the
 * node's attempts (so that the node's records carry it wherever they are copied, e.g. a Jenkins
 * stash of {@code nodes/NODE/**}).
 *
 * <p>A decision is written once and never replaced, by any process, with or without the run's lock:
 * the record goes to a temporary file of its own in the node's directory, is forced to disk, and is
 * then hard-linked as {@code approval.json}; {@code link(2)} fails when the name exists, so of two
 * processes deciding at once exactly one wins and the other reads the winner's. Readers never see a
 * part of a file. The directory is forced to disk afterwards, so a decision also survives a machine
 * crash. Costs: two {@code fsync}s per decision, a few per run.
 */
final class DecisionFiles {
  static final String FILE = "approval.json";

  private DecisionFiles() {}

  /** Records {@code decision} for {@code node} in {@code nodeDir} unless one is there. */
  static Decision decide(Path nodeDir, String node, Decision decision) throws IOException {
    Path target = nodeDir.resolve(FILE);
    Optional<Decision> before = read(target);
    if (before.isPresent()) {
      return before.get();
    }
    Files.createDirectories(nodeDir);
    Path tmp = Files.createTempFile(nodeDir, FILE + ".", ".tmp");
    try {
      // FileOutputStream rather than Files.newOutputStream: its writes are not interruptible.
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        out.write(RecordsJson.decision(node, decision).getBytes(StandardCharsets.UTF_8));
        out.getFD().sync();
      }
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        return read(target).orElseThrow(() -> e);
      } catch (UnsupportedOperationException e) {
        // A file system without hard links: a move that refuses to replace, nearly as exclusive.
        try {
          Files.move(tmp, target);
        } catch (FileAlreadyExistsException raced) {
          return read(target).orElseThrow(() -> raced);
        }
      }
      forceDirectory(nodeDir);
      return decision;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The decision in {@code file}, or empty when there is none. */
  static Optional<Decision> read(Path file) throws IOException {
    try {
      return Optional.of(RecordsJson.decision(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (OrchestraException e) {
      throw new OrchestraException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every decision under {@code nodesDir} ({@code RUN/nodes}), by node id. */
  static Map<String, Decision> all(Path nodesDir) throws IOException {
    Map<String, Decision> all = new HashMap<>();
    if (!Files.isDirectory(nodesDir)) {
      return all;
    }
    try (Stream<Path> dirs = Files.list(nodesDir)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Path file = dir.resolve(FILE);
        String json;
        try {
          json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          continue;
        }
        try {
          all.put(RecordsJson.decisionNode(json), RecordsJson.decision(json));
        } catch (OrchestraException e) {
          throw new OrchestraException(file + ": " + e.getMessage(), e);
        }
      }
    }
    return all;
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the file itself was forced already.
    }
  }
}
