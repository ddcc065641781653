package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.testing.AgentClis;
import dev.orchestra.testing.AnthropicMessages;
import dev.orchestra.testing.ScriptedModelServer;
import dev.orchestra.testing.Turn;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orchestra run} with a real {@code claude} node whose model makes it print its API key
 * in plain, base64 and URL-encoded form: the key reaches the CLI (the endpoint sees it) but no
 * terminal output, event or file of the run's records.
 */
class ClaudeSecretsIT {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();
  private static final String SECRET = "sk-ant-api03-Zq8/x+Kp=Tw9_leak";

  @TempDir Path dir;

  @Test
  void aKeyTheAgentPrintsInAnyEncodingAppearsNowhereInTheRunsOutputOrRecords() throws Exception {
    String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String url = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    assertThat(url).isNotEqualTo(SECRET);
    try (var server = ScriptedModelServer.start(new AnthropicMessages())) {
      server.script(
          AnthropicMessages.NAME,
          new Turn.WriteFile("leak.txt", "key=" + SECRET + "\n"),
          new Turn.Text("plain " + SECRET + "\nbase64 " + base64 + "\nurl " + url, 10, 5));
      Path workflow = dir.resolve("leak.yaml");
      Files.writeString(
          workflow,
          """
          version: 1
          name: leak
          nodes:
            leak:
              agent: claude
              prompt: print your key
              endpoint: %s
              credentials: [anthropic]
              checks: [{exists: leak.txt}]
            downstream:
              needs: [leak]
              agent: command
              env: {LEAKED: "{{ nodes.leak.output }}"}
              command: 'echo "got $LEAKED"'
          """
              .formatted(server.baseUrl()));
      Path terminal = dir.resolve("terminal.txt");
      ProcessBuilder pb =
          new ProcessBuilder(ROOT.resolve("bin/orchestra").toString(), "run", workflow.toString())
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(terminal.toFile())
              .redirectErrorStream(true);
      pb.environment().put("ORCHESTRA_CLAUDE_BIN", AgentClis.claude().toString());
      pb.environment().put("ORCHESTRA_HOME", dir.resolve("orchestra-home").toString());
      pb.environment().put("ORCHESTRA_CREDENTIAL_ANTHROPIC", SECRET);
      Process p = pb.start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("orchestra run did not finish in 3 minutes");
      }

      String output = Files.readString(terminal);
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(server.requests(AnthropicMessages.NAME).get(0).header("x-api-key"))
          .isEqualTo(SECRET);
      assertThat(output).contains("plain ****", "base64 ****", "url ****", "got plain ****");
      assertThat(Files.readString(dir.resolve("leak.txt"))).contains(SECRET);
      List<Path> records = files(dir.resolve(".orchestra"));
      assertThat(records)
          .anyMatch(f -> f.toString().endsWith("events.jsonl"))
          .anyMatch(f -> f.toString().endsWith("result.json"))
          .anyMatch(f -> f.toString().contains("/home/.claude/projects/"));
      for (String form : List.of(SECRET, base64, url)) {
        assertThat(output).doesNotContain(form);
        for (Path f : records) {
          assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
              .as("%s must not hold the key", f)
              .doesNotContain(form);
        }
      }
    }
  }

  private static List<Path> files(Path root) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(all::add);
    }
    return all;
  }
}
