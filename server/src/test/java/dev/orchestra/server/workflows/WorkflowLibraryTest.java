package dev.orchestra.server.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowLibraryTest {
  private static final String OUTER =
      "version: 1\nname: outer\nnodes:\n  i:\n    uses: ./inner.yaml\n";
  private static final String INNER =
      "version: 1\nname: inner\nnodes:\n  x:\n    agent: command\n    command: [true]\n";

  @TempDir Path dir;

  @Test
  void aTextCheckedAgainReusesItsParseButIsValidatedAgain() {
    WorkflowLibrary library = new WorkflowLibrary(dir);
    WorkflowLibrary.Checked first = library.check(null, OUTER, null);
    // ./inner.yaml is not stored yet.
    assertThat(first.problems()).isNotEmpty();
    assertThat(library.parseKept(null, OUTER)).isTrue();

    assertThat(library.save("inner", INNER).ok()).isTrue();
    WorkflowLibrary.Checked again = library.check(null, OUTER, null);
    assertThat(again.problems()).as("validated against the library as it is now").isEmpty();
    assertThat(again.workflow()).isSameAs(first.workflow());

    // The same text as a stored workflow's is another file: parsed for its own positions.
    assertThat(library.parseKept("outer", OUTER)).isFalse();
    assertThat(library.check("outer", OUTER, null).ok()).isTrue();
    assertThat(library.parseKept("outer", OUTER)).isTrue();
  }

  @Test
  void keepsTheLastParsesOfSmallTextsOnly() {
    WorkflowLibrary library = new WorkflowLibrary(dir);
    String large = INNER + "description: " + "x".repeat(WorkflowLibrary.PARSED_MAX_CHARS) + "\n";
    library.check(null, large, null);
    assertThat(library.parseKept(null, large)).isFalse();
    for (int i = 0; i <= WorkflowLibrary.PARSED_KEPT; i++) {
      library.check(null, INNER.replace("[true]", "[echo, '" + i + "']"), null);
    }
    assertThat(library.parseKept(null, INNER.replace("[true]", "[echo, '0']"))).isFalse();
    assertThat(
            library.parseKept(
                null, INNER.replace("[true]", "[echo, '" + WorkflowLibrary.PARSED_KEPT + "']")))
        .isTrue();
  }
}
