package dev.orchestra.agents.codex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.secret.SecretMasker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodexSessionsTest {
  static final String THREAD = "01a20b0a-8033-7322-8036-949ddd5d636b";
  static final String SECRET = "sk-openai-test-0123456789abcdef";

  @TempDir Path codexHome;

  @Test
  void findsAThreadByItsRollout() throws IOException {
    Path rollout =
        codexHome.resolve("sessions/2026/11/24/rollout-2026-11-24T00-52-47-" + THREAD + ".jsonl");
    Files.createDirectories(rollout.getParent());
    Files.writeString(rollout, "{}\n");
    CodexSessions sessions = new CodexSessions(codexHome);

    assertThat(sessions.exists(THREAD)).isTrue();
    assertThat(sessions.exists("01a20b0a-0000-7322-8036-949ddd5d636b")).isFalse();
    assertThat(sessions.exists("../../etc")).isFalse();
    assertThat(sessions.exists(null)).isFalse();
  }

  @Test
  void remembersAThreadsCumulativeTokensForTheNextAttempt() {
    CodexSessions sessions = new CodexSessions(codexHome);

    sessions.recordTokens(THREAD, new TokenCounts(2400, 400, 100));

    assertThat(new CodexSessions(codexHome).tokensSoFar(THREAD))
        .isEqualTo(new TokenCounts(2400, 400, 100));
    assertThat(sessions.tokensSoFar("01a20b0a-0000-7322-8036-949ddd5d636b"))
        .isEqualTo(TokenCounts.ZERO);
  }

  @Test
  void dropsADatabaseHoldingASecretWithItsCompanionsAndKeepsTheOthers() throws IOException {
    Files.write(codexHome.resolve("thread_history_1.sqlite"), bytes("SQLite format 3\0 x"));
    Files.write(codexHome.resolve("thread_history_1.sqlite-wal"), bytes("page " + SECRET + "\0"));
    Files.write(codexHome.resolve("thread_history_1.sqlite-shm"), bytes("\0\0"));
    Files.write(codexHome.resolve("logs_2.sqlite"), bytes("SQLite format 3\0 nothing secret"));
    Files.writeString(codexHome.resolve("rollout.jsonl"), "{\"text\":\"" + SECRET + "\"}\n");
    SecretMasker secrets = new SecretMasker();
    secrets.add(SECRET);

    new CodexSessions(codexHome).dropDatabasesHolding(secrets);

    assertThat(codexHome.resolve("thread_history_1.sqlite")).doesNotExist();
    assertThat(codexHome.resolve("thread_history_1.sqlite-wal")).doesNotExist();
    assertThat(codexHome.resolve("thread_history_1.sqlite-shm")).doesNotExist();
    assertThat(codexHome.resolve("logs_2.sqlite")).exists();
    // Text files are left to the masker.
    assertThat(codexHome.resolve("rollout.jsonl")).exists();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
