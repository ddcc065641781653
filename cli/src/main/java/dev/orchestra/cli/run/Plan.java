package dev.orchestra.cli.run;

import dev.orchestra.template.Reference;
import dev.orchestra.template.Template;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code run --dry-run} prints: the nodes in the order they may start, each with its agent,
 * needs, checks and prompt rendered as far as it is known before the run. Node outputs, the run id
 * and environment variables (which may hold secrets) show as placeholders such as {@code
 * <nodes.plan.output>}.
 */
public final class Plan {
  private Plan() {}

  /** Prints the plan of a valid {@code workflow} with the given inputs. */
  public static void print(
      Workflow workflow, Map<String, String> given, Integer concurrency, PrintWriter out) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, InputSpec> e : workflow.inputs().entrySet()) {
      String value = given.getOrDefault(e.getKey(), e.getValue().defaultValue());
      if (value != null) {
        inputs.put(e.getKey(), value);
      }
    }
    NodeLayout layout = NodeLayout.of(workflow);
    Integer limit = concurrency != null ? concurrency : workflow.limits().concurrency();
    out.printf(
        "plan of workflow %s: %d nodes, concurrency %s (dry run: nothing runs)%n",
        workflow.name(), layout.rows().size(), limit == null ? "CPU count" : limit);
    inputs.forEach((k, v) -> out.printf("  input %s = %s%n", k, v));
    int i = 0;
    for (NodeLayout.Row row : layout.rows()) {
      NodeSpec n = row.spec();
      out.println();
      out.printf("%d. %s%n", ++i, row.id());
      out.println("   agent:    " + (n.isComposed() ? "uses " + n.uses() : row.agent()));
      out.println("   needs:    " + (n.needs().isEmpty() ? "-" : String.join(", ", n.needs())));
      out.println("   attempts: " + row.attempts());
      out.println(
          "   checks:   "
              + (n.checksOrEmpty().isEmpty()
                  ? "-"
                  : String.join(", ", n.checksOrEmpty().stream().map(CheckSpec::name).toList())));
      if (n.approval() != null) {
        out.println(
            "   approval: "
                + render(n.approval().messageOrDefault(), inputs).strip().replaceAll("\\s+", " ")
                + " (approvers: "
                + DecisionHint.approvers(n.approval().approvers())
                + ")");
      }
      CommandSpec command = n.command();
      if (command != null) {
        out.println(
            "   command:  "
                + (command.argv() != null ? String.join(" ", command.argv()) : command.shell())
                    .strip()
                    .replace("\n", "\n             "));
      }
      String prompt = prompt(workflow, n);
      if (prompt != null) {
        out.println("   prompt:");
        String rendered = render(prompt, inputs);
        for (String line : rendered.strip().split("\n", -1)) {
          out.println("     " + line);
        }
      }
    }
    out.flush();
  }

  private static String prompt(Workflow workflow, NodeSpec n) {
    if (n.prompt() != null) {
      return n.prompt();
    }
    if (n.promptFile() == null) {
      return null;
    }
    Path base =
        workflow.file() == null ? Path.of("") : workflow.file().toAbsolutePath().getParent();
    try {
      return Files.readString(base.resolve(n.promptFile()));
    } catch (IOException e) {
      return "<cannot read prompt_file " + n.promptFile() + ": " + e.getMessage() + ">";
    }
  }

  private static String render(String prompt, Map<String, String> inputs) {
    Template t = Template.parse(prompt);
    if (!t.problems().isEmpty()) {
      return prompt;
    }
    return t.render(ref -> value(ref, inputs));
  }

  private static String value(Reference ref, Map<String, String> inputs) {
    if (ref.kind() == Reference.Kind.INPUT && inputs.containsKey(ref.name())) {
      return inputs.get(ref.name());
    }
    return "<" + ref.expression() + ">";
  }
}
