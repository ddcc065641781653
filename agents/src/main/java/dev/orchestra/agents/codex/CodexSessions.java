package dev.orchestra.agents.codex;

import dev.orchestra.secret.SecretMasker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Codex sessions ("threads") kept in one node's {@code CODEX_HOME}: whether one can still be
 * resumed, and how many tokens it had used when the last attempt ended. The latter is needed
 * because Codex reports a thread's usage cumulatively, so a resumed attempt's own usage is the
 * difference. Not thread-safe; one node's attempts run one after another.
 */
final class CodexSessions {
  private static final Logger LOG = LoggerFactory.getLogger(CodexSessions.class);

  /** Codex's SQLite databases and their companion files. */
  private static final Pattern DATABASE = Pattern.compile("(.+\\.sqlite)(-wal|-shm|-journal)?");

  private static final List<String> COMPANIONS = List.of("", "-wal", "-shm", "-journal");

  /** Databases larger than this are left alone, as the masker leaves large files. */
  private static final long MAX_DATABASE_BYTES = 64L << 20;

  /** Thread ids are UUIDs; anything else is not looked up on disk. */
  private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{8,64}");

  private final Path codexHome;

  CodexSessions(Path codexHome) {
    this.codexHome = codexHome;
  }

  /** Whether Codex still has the rollout of {@code threadId} ({@code sessions/…/rollout-…-ID}). */
  boolean exists(String threadId) {
    if (threadId == null || !ID.matcher(threadId).matches()) {
      return false;
    }
    Path sessions = codexHome.resolve("sessions");
    if (!Files.isDirectory(sessions)) {
      return false;
    }
    String suffix = "-" + threadId + ".jsonl";
    try (Stream<Path> files = Files.walk(sessions, 5)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(suffix));
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot search {} for thread {}", sessions, threadId, e);
      return false;
    }
  }

  /** The cumulative tokens of {@code threadId} recorded by the last attempt, or zero. */
  TokenCounts tokensSoFar(String threadId) {
    if (threadId == null || !ID.matcher(threadId).matches()) {
      return TokenCounts.ZERO;
    }
    try {
      String[] parts =
          Files.readString(usageFile(threadId), StandardCharsets.UTF_8).strip().split("\\s+");
      return new TokenCounts(
          Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (NoSuchFileException e) {
      return TokenCounts.ZERO;
    } catch (IOException | RuntimeException e) {
      LOG.debug("unreadable token record of thread {}; counting from zero", threadId, e);
      return TokenCounts.ZERO;
    }
  }

  /** Records the cumulative tokens of {@code threadId} for the next attempt. */
  void recordTokens(String threadId, TokenCounts total) {
    if (threadId == null || !ID.matcher(threadId).matches()) {
      return;
    }
    try {
      Path file = usageFile(threadId);
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          total.input() + " " + total.cachedInput() + " " + total.output() + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      // A later resume then over-counts this thread's earlier turns; usage stays visible.
      LOG.warn("cannot record the token count of Codex thread {} in {}", threadId, codexHome, e);
    }
  }

  /**
   * Deletes every SQLite database in {@code CODEX_HOME} (with its {@code -wal}, {@code -shm} and
   * {@code -journal} files) that holds one of {@code secrets}. Masking rewrites files with a
   * shorter text, which would corrupt a database, and Codex then refuses to resume; without them it
   * rebuilds its indexes from the rollouts, which are masked like any other file.
   */
  void dropDatabasesHolding(SecretMasker secrets) {
    if (secrets.isEmpty() || !Files.isDirectory(codexHome)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(codexHome, 2)) {
      files = walk.filter(Files::isRegularFile).toList();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot list {} to drop databases holding secrets", codexHome, e);
      return;
    }
    for (Path file : files) {
      var m = DATABASE.matcher(file.getFileName().toString());
      if (!m.matches() || !Files.exists(file)) {
        continue;
      }
      try {
        if (Files.size(file) > MAX_DATABASE_BYTES) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (secrets.mask(bytes) == bytes) {
          continue;
        }
        for (String suffix : COMPANIONS) {
          Files.deleteIfExists(file.resolveSibling(m.group(1) + suffix));
        }
        LOG.debug("dropped Codex database {}: it held a secret", m.group(1));
      } catch (IOException e) {
        // The masker will rewrite it: the secret goes, the database may then be unreadable.
        LOG.warn("cannot drop Codex database {} that holds a secret", file, e);
      }
    }
  }

  private Path usageFile(String threadId) {
    return codexHome.resolve("orchestra").resolve(threadId + ".tokens");
  }
}
