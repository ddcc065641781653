package dev.orchestra.agents.gemini;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Gemini CLI can still resume a session of one node: it keeps each session as {@code
 * ~/.gemini/tmp/PROJECT/chats/session-TIME-ID8.json[l]}, named after the first eight characters of
 * the session id, in the node's own {@code HOME}. Stateless.
 */
final class GeminiSessions {
  private static final Logger LOG = LoggerFactory.getLogger(GeminiSessions.class);

  /** Session ids are UUIDs; anything else is not looked up on disk. */
  private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4,12}){0,4}");

  private GeminiSessions() {}

  static boolean exists(Path home, String sessionId) {
    if (sessionId == null || !ID.matcher(sessionId).matches()) {
      return false;
    }
    Path tmp = home.resolve(".gemini").resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return false;
    }
    String marker = "-" + sessionId.substring(0, 8) + ".json";
    try (Stream<Path> files = Files.walk(tmp, 3)) {
      return files.anyMatch(
          p -> {
            String name = p.getFileName().toString();
            return name.startsWith("session-")
                && name.contains(marker)
                && p.getParent().getFileName().toString().equals("chats");
          });
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot search {} for session {}", tmp, sessionId, e);
      return false;
    }
  }
}
