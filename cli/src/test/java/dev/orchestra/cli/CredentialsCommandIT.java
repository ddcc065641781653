package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code printf %s "$TOKEN" | orchestra credentials add NAME} through the real launcher in a shell,
 * with {@code ORCHESTRA_HOME} pointing at a temporary directory.
 */
class CredentialsCommandIT {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();
  private static final String TOKEN = "xoxb-1234-abcd-SECRET";
  private static final String ENV_TOKEN = "env-only-Zq81Kd0Pw";

  @TempDir Path tmp;

  private record Result(int exitCode, String out) {}

  private Result shell(String script) throws Exception {
    Path out = tmp.resolve("out.txt");
    ProcessBuilder pb =
        new ProcessBuilder(List.of("sh", "-c", script))
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("ORCHESTRA_HOME", tmp.resolve("home").toString());
    pb.environment().put("TOKEN", TOKEN);
    pb.environment().put("ORCHESTRA_CREDENTIAL_ENV_KEY", ENV_TOKEN);
    pb.environment().put("PATH", ROOT.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("orchestra did not finish in 5 minutes");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void addsFromPipeListsAndRemoves() throws Exception {
    Result add = shell("printf %s \"$TOKEN\" | orchestra credentials add slack");
    assertThat(add.exitCode()).as(add.out()).isZero();
    assertThat(add.out()).doesNotContain(TOKEN);

    Path home = tmp.resolve("home");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .isEqualTo("rwx------");
    assertThat(
            new String(
                Files.readAllBytes(home.resolve("credentials.json")), StandardCharsets.ISO_8859_1))
        .contains("\"slack\"")
        .doesNotContain(TOKEN);

    Result list = shell("orchestra credentials list");
    assertThat(list.out()).isEqualTo("slack\n");

    Result typo = shell("orchestra credentials remove slak");
    assertThat(typo.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(typo.out()).contains("did you mean 'slack'?");

    Result remove = shell("orchestra credentials remove slack && orchestra credentials list");
    assertThat(remove.exitCode()).as(remove.out()).isZero();
    assertThat(remove.out()).isEqualTo("removed credential 'slack'\n");
  }

  @Test
  void runShowsAndRecordsCredentialsOnlyMasked() throws Exception {
    assertThat(shell("printf %s \"$TOKEN\" | orchestra credentials add slack").exitCode()).isZero();
    Files.writeString(
        tmp.resolve("flow.yaml"),
        """
        version: 1
        name: leak
        nodes:
          talk:
            agent: command
            credentials: [{SLACK: slack}, {KEY: env_key}]
            command: >-
              printf 'plain %s\\n' "$SLACK";
              printf 'b64 %s\\n' "$(printf %s "$SLACK" | base64 -w0)";
              printf 'err %s\\n' "$KEY" >&2;
              printf %s "$SLACK" > "$ORCHESTRA_OUTPUT_FILE"
        """);

    Result lines = shell("orchestra run flow.yaml");
    Result json = shell("orchestra run flow.yaml --json");

    String b64 =
        java.util.Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    for (Result r : List.of(lines, json)) {
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("plain ****").contains("b64 ****").contains("err ****");
      assertThat(r.out()).doesNotContain(TOKEN).doesNotContain(b64).doesNotContain(ENV_TOKEN);
    }
    try (var files = Files.walk(tmp.resolve(".orchestra"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(text)
            .as(f.toString())
            .doesNotContain(TOKEN)
            .doesNotContain(b64)
            .doesNotContain(ENV_TOKEN);
      }
    }
  }
}
