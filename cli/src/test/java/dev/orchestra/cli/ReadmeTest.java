package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.cli.DocPages.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's promises checked against the real thing, so the documentation stays true; {@link
 * DocsTest} checks its examples and those of docs/ alike.
 */
class ReadmeTest {
  private static final Path ROOT = DocPages.ROOT;
  private static final Path README = ROOT.resolve("README.md");

  @Test
  void startsWithTheMainCommandAndTheTestCommand() throws IOException {
    Block top = DocPages.blocks(README).get(0);

    assertThat(top.lang()).isEqualTo("sh");
    assertThat(top.text()).isEqualTo("bin/orchestra run examples/quickstart.yaml\nbin/test\n");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).endsWith("\nbin/test\n");
  }

  @Test
  void theTourShowsTheQuickstartsFailingFirstAttemptAsItsRecordsHoldIt() throws IOException {
    List<Block> console =
        DocPages.blocks(README).stream().filter(b -> b.lang().equals("console")).toList();
    String tour = console.get(0).text();

    assertThat(tour)
        .contains("$ bin/orchestra run examples/quickstart.yaml\n")
        .contains("attempt 1: skipped writing the summary\n")
        .contains("--- check 1 'summary written' failed ---\nexit code 1\n");
    assertThat(Files.readString(ROOT.resolve("examples/quickstart.yaml")))
        .contains("echo \"attempt 1: skipped writing the summary\"")
        .contains("name: summary written");
  }
}
