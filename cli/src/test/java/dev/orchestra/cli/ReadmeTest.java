package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples are checked against the real thing, so the documentation stays true. */
class ReadmeTest {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();

  private static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"));
  }

  /** The text between {@code start} (exclusive) and the next {@code end}. */
  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("README contains %s", start).isNotNegative();
    from += start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  @Test
  void startsWithTheMainCommandAndTheTestCommand() throws IOException {
    String top = between(readme(), "```sh\n", "```");

    assertThat(top).isEqualTo("bin/orchestra run examples/quickstart.yaml\nbin/test\n");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).endsWith("\nbin/test\n");
  }

  @Test
  void fullExampleIsTheValidatedReferenceWorkflow() throws IOException {
    String example = between(readme(), "```yaml\n", "```");

    assertThat(example).isEqualTo(Files.readString(ROOT.resolve("examples/reference.yaml")));
  }

  @Test
  void validationExampleShowsTheRealOutput(@TempDir Path dir) throws IOException {
    String session = between(readme(), "$ cat flow.yaml\n", "```");
    String content = session.substring(0, session.indexOf("$ bin/orchestra validate flow.yaml\n"));
    String expected = session.substring(session.indexOf("\n", content.length()) + 1);
    Path flow = Files.writeString(dir.resolve("flow.yaml"), content);

    CliRun run = CliRun.of("validate", flow.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().replace(flow.toString(), "flow.yaml")).isEqualTo(expected);
  }

  @Test
  void graphExampleShowsTheRealOutput() throws IOException {
    String expected = between(readme(), "$ bin/orchestra graph examples/quickstart.yaml\n", "$ ");

    CliRun run = CliRun.of("graph", ROOT.resolve("examples/quickstart.yaml").toString());

    assertThat(run.out()).isEqualTo(expected);
  }
}
