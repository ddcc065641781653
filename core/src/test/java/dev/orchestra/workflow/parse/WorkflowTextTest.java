package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkspaceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A workflow's text with its workspace replaced reads back as the same workflow but for it. */
class WorkflowTextTest {
  static final WorkspaceSpec PINNED =
      new WorkspaceSpec(
          "file:///srv/orchestra/server/github/mirrors/octo/app.git/",
          "0123456789012345678901234567890123456789",
          Isolation.BRANCH,
          "orchestra/",
          false,
          null,
          null,
          "Orchestra <orchestra@example.com>");

  /**
   * Asserts that {@code after} is {@code before} but for its workspace, which is {@code PINNED}.
   */
  private static void assertSameButTheWorkspace(Workflow after, Workflow before) {
    assertThat(after.workspace()).isEqualTo(PINNED);
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("workspace", "sourceMap")
        .isEqualTo(before);
  }

  private static Workflow parse(String text) {
    ParseResult r = Parsing.yaml(text);
    assertThat(r.problems()).as(text).isEmpty();
    return r.workflow();
  }

  @Test
  void replacesTheWorkspaceOfTheCompleteExampleAndKeepsEveryOtherKey() throws IOException {
    String text = Files.readString(RoundTripTest.resource("complete.yaml"));
    Workflow before = parse(text);
    Workflow after = parse(WorkflowText.withWorkspace(text, PINNED));
    assertSameButTheWorkspace(after, before);
  }

  @Test
  void readsAJsonWorkflowAndWritesYaml() throws IOException {
    Path json = RoundTripTest.resource("complete.json");
    Workflow before = Parsing.PARSER.parse(json).workflow();
    Workflow after = parse(WorkflowText.withWorkspace(Files.readString(json), PINNED));
    assertSameButTheWorkspace(after, before);
  }

  @Test
  void addsAWorkspaceBeforeTheNodesAndKeepsScalarsAnchorsAndTriggersAsWritten() {
    String text =
        "# a comment\n"
            + "version: 1\n"
            + "name: check\n"
            + "on:\n"
            + "  pull_request: {branches: [main]}\n"
            + "inputs:\n"
            + "  level: {default: 1.10}\n"
            + "  flag: {default: 'yes'}\n"
            + "nodes:\n"
            + "  a: {agent: command, command: [sh, -c, 'echo 1.10'], checks: &tests [{exists: x}]}\n"
            + "  b: {agent: command, command: [sh, -c, 'exit 0'], needs: [a], checks: *tests}\n";
    String pinned = WorkflowText.withWorkspace(text, PINNED);
    Workflow before = parse(text);
    Workflow after = parse(pinned);
    assertSameButTheWorkspace(after, before);
    assertThat(after.inputs().get("level").defaultValue()).isEqualTo("1.10");
    assertThat(after.on().pullRequest().branches()).containsExactly("main");
    assertThat(pinned.indexOf("workspace:")).isLessThan(pinned.indexOf("nodes:"));
    assertThat(pinned).contains("&tests").contains("*tests");
  }

  @Test
  void refusesATextWhoseTopLevelIsNoMapping() {
    assertThatThrownBy(() -> WorkflowText.withWorkspace("[1, 2]\n", PINNED))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("no mapping");
    assertThatThrownBy(() -> WorkflowText.withWorkspace("a: [\n", PINNED))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("not one YAML document");
  }
}
