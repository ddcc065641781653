package dev.orchestra.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.template.Reference.Kind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void readsEveryKindOfReferenceWithItsOffset() {
    String text =
        "A {{ inputs.task }} B {{nodes.plan.output}} C {{ nodes.plan.outputs.plan }}"
            + " D {{ run.id }} E {{  env.HOME  }}";
    Template t = Template.parse(text);

    assertThat(t.problems()).isEmpty();
    assertThat(t.references())
        .containsExactly(
            new Reference(Kind.INPUT, null, "task", 2, 17),
            new Reference(Kind.NODE_OUTPUT, "plan", null, 22, 21),
            new Reference(Kind.NODE_NAMED_OUTPUT, "plan", "plan", 46, 29),
            new Reference(Kind.RUN_ID, null, null, 78, 12),
            new Reference(Kind.ENV, null, "HOME", 93, 16));
    for (Reference r : t.references()) {
      assertThat(text.substring(r.offset(), r.offset() + r.length()))
          .startsWith("{{")
          .endsWith("}}");
    }
  }

  @Test
  void acceptsHyphensAndUnderscoresInNames() {
    Template t = Template.parse("{{ nodes.unit-tests.outputs.junit_report }} {{ env.MY_VAR }}");

    assertThat(t.problems()).isEmpty();
    assertThat(t.references())
        .extracting(Reference::expression)
        .containsExactly("nodes.unit-tests.outputs.junit_report", "env.MY_VAR");
  }

  @Test
  void rendersByPlainSubstitutionWithoutInterpretingValues() {
    Template t = Template.parse("Plan for {{ inputs.task }}:\n{{ nodes.plan.output }}.");
    Map<String, String> values =
        Map.of("inputs.task", "$(rm -rf /) `x` {{ inputs.task }}", "nodes.plan.output", "done");

    String out = t.render(r -> values.get(r.expression()));

    assertThat(out).isEqualTo("Plan for $(rm -rf /) `x` {{ inputs.task }}:\ndone.");
  }

  @Test
  void leavesTextWithoutReferencesUnchanged() {
    Template t = Template.parse("no braces { here } at all");

    assertThat(t.isLiteral()).isTrue();
    assertThat(t.render(r -> "x")).isEqualTo("no braces { here } at all");
  }

  @Test
  void treatsBackslashBracesAsLiteralBraces() {
    Template t = Template.parse("Go: \\{{ .Values.x }} and {{ run.id }}");

    assertThat(t.problems()).isEmpty();
    assertThat(t.references()).extracting(Reference::kind).containsExactly(Kind.RUN_ID);
    assertThat(t.render(r -> "r1")).isEqualTo("Go: {{ .Values.x }} and r1");
  }

  @Test
  void reportsUnknownRootAsProblemWithOffset() {
    Template t = Template.parse("x {{ foo.bar }} y {{ input.task }}");

    assertThat(t.references()).isEmpty();
    assertThat(t.problems())
        .containsExactly(
            new TemplateProblem(
                2,
                "unknown reference '{{ foo.bar }}': a reference starts with inputs, nodes, run or"
                    + " env (write '\\{{' for literal braces)"),
            new TemplateProblem(
                18,
                "unknown reference '{{ input.task }}': did you mean 'inputs'? a reference starts"
                    + " with inputs, nodes, run or env (write '\\{{' for literal braces)"));
  }

  @Test
  void reportsUnclosedBracesAndKeepsReadingAfterThem() {
    Template t = Template.parse("a {{ inputs.x\nb {{ inputs.y }}");

    assertThat(t.problems())
        .containsExactly(
            new TemplateProblem(
                2,
                "unclosed '{{' in template; close the reference with '}}', or write '\\{{' for"
                    + " literal braces"));
    assertThat(t.references()).extracting(Reference::name).containsExactly("y");
  }

  @Test
  void reportsReferencesOfTheWrongShape() {
    Template t =
        Template.parse(
            "{{ }} {{ nodes.plan }} {{ nodes.plan.outputs }} {{ run.name }} {{ env.A.B }}"
                + " {{ inputs }} {{ inputs.task | upper }}");

    assertThat(t.references()).isEmpty();
    assertThat(t.problems())
        .extracting(TemplateProblem::message)
        .containsExactly(
            "empty reference '{{ }}'; write e.g. {{ inputs.NAME }} or {{ nodes.ID.output }}",
            "reference '{{ nodes.plan }}' must have the form {{ nodes.ID.output }} or"
                + " {{ nodes.ID.outputs.NAME }}",
            "reference '{{ nodes.plan.outputs }}' must have the form {{ nodes.ID.output }} or"
                + " {{ nodes.ID.outputs.NAME }}",
            "unknown run property in '{{ run.name }}'; the only one is {{ run.id }}",
            "reference '{{ env.A.B }}' must have the form {{ env.NAME }}",
            "reference '{{ inputs }}' must have the form {{ inputs.NAME }}",
            "cannot read reference '{{ inputs.task | upper }}': a reference is a dotted path of"
                + " names such as {{ inputs.NAME }} or {{ nodes.ID.output }}; expressions and"
                + " filters are not supported");
  }

  @Test
  void refusesToRenderWhenResolverHasNoValue() {
    Template t = Template.parse("line one\n  {{ inputs.task }}");

    assertThatThrownBy(() -> t.render(r -> null))
        .isInstanceOf(OrchestraException.class)
        .hasMessage(
            "no value for {{ inputs.task }} (at line 2, column 3 of the template); check that the"
                + " input is given or the node has run");
  }

  @Test
  void refusesToRenderMalformedTemplate() {
    Template t = Template.parse("{{ foo }}");

    assertThatThrownBy(() -> t.render(r -> "x"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageStartingWith("cannot render a template with problems: unknown reference")
        .hasMessageEndingWith("(at line 1, column 1); validate the workflow first");
  }

  @Test
  void parsesTenThousandPromptsInMilliseconds() {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      prompts.add(
          "Implement part "
              + i
              + " of {{ inputs.task }} using {{ nodes.n"
              + i
              + ".output }}\nand {{ nodes.n"
              + i
              + ".outputs.plan }} in run {{ run.id }}.\n".repeat(3));
    }
    for (int warm = 0; warm < 20; warm++) {
      prompts.forEach(Template::parse);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int refs = 0;
    for (String p : prompts) {
      refs += Template.parse(p).references().size();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
    System.out.printf(
        "parsed 10,000 prompts (%d references) in %d ms (%d ms CPU)%n", refs, millis, cpuMillis);

    assertThat(refs).isEqualTo(10_000 * 6);
    // CPU time, because wall time on a shared build machine measures the neighbours; warm runs
    // take about 10-20 ms.
    assertThat(cpuMillis).isLessThan(250);
  }
}
