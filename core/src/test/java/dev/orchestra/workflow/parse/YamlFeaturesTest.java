package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.NodeSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** YAML conveniences users rely on: anchors, aliases, merge keys, booleans and block scalars. */
class YamlFeaturesTest {

  @Test
  void reusesAnchoredValueForAlias() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                checks: &tests
                  - run: make test
              b:
                prompt: q
                checks: *tests
            """);
    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().nodes().get("b").checks())
        .containsExactly(new CheckSpec.Run("make test", null, null, null));
    assertThat(r.workflow().sourceMap().value("/nodes/b/checks/0").line()).isEqualTo(6);
  }

  @Test
  void mergesAnchoredMappingUnderExplicitKeys() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a: &base
                agent: codex
                prompt: p
                attempts: 2
              b:
                <<: *base
                prompt: q
            """);
    assertThat(r.problems()).isEmpty();
    NodeSpec b = r.workflow().nodes().get("b");
    assertThat(b.agent()).isEqualTo("codex");
    assertThat(b.attempts()).isEqualTo(2);
    assertThat(b.prompt()).isEqualTo("q");
  }

  @Test
  void refusesAnApplicationTagThatWouldBeDroppedSilently() {
    ParseResult r = yaml("version: 1\nnodes:\n  a:\n    prompt: !include prompt.md\n");
    assertThat(r.workflow()).isNull();
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(4);
              assertThat(p.column()).isEqualTo(13);
              assertThat(p.message())
                  .startsWith("the YAML tag '!include' is not supported")
                  .contains("remove the tag");
            });
  }

  @Test
  void refusesATagOnAMappingAndACoreTagOutsideTheCoreSchema() {
    assertThat(yaml("version: 1\nnodes: !custom\n  a: {prompt: p}\n").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("the YAML tag '!custom'"));
    assertThat(yaml("version: 1\nnodes:\n  a: {prompt: !!binary cHJvbXB0}\n").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("the YAML tag '!!binary'"));
  }

  @Test
  void acceptsTheCoreSchemasTags() {
    ParseResult r = yaml("version: !!int 1\nnodes: !!map\n  a: {prompt: !!str yes}\n");
    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().nodes().get("a").prompt()).isEqualTo("yes");
  }

  @Test
  void reportsAliasWithoutAnchor() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, checks: *tests}\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(
        r, 3, 26, "YAML alias '*tests' names no anchor defined above it; define '&tests' first");
  }

  @Test
  void refusesAliasesThatExpandExponentially() {
    StringBuilder sb = new StringBuilder("version: 1\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      sb.append("l").append(i).append(": &l").append(i).append(" [");
      sb.append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1))));
      sb.append("]\n");
    }
    ParseResult r = yaml(sb.toString());
    assertThat(r.workflow()).isNull();
    assertThat(Parsing.only(r).message())
        .startsWith("YAML aliases expand to more than 1000000 values");
  }

  @Test
  void readsYamlBooleansAndKeepsBlockScalarText() {
    ParseResult r =
        yaml(
            """
            version: 1
            workspace: {push: yes}
            nodes:
              a:
                continue_on_failure: True
                prompt: >
                  one
                  two
                env: {FLAG: on}
            """);
    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().workspace().push()).isTrue();
    NodeSpec a = r.workflow().nodes().get("a");
    assertThat(a.continueOnFailure()).isTrue();
    assertThat(a.prompt()).isEqualTo("one two\n");
    assertThat(a.env()).containsEntry("FLAG", "on");
    assertThat(List.copyOf(r.workflow().nodes().keySet())).containsExactly("a");
  }
}
