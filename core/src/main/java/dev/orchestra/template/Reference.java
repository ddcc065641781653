package dev.orchestra.template;

import java.util.Objects;

/**
 * One well-formed {@code {{ … }}} reference in a template, with where it stands in the text.
 *
 * <p>Which parts are set depends on the {@link Kind}: {@code node} only for the two node kinds,
 * {@code name} for everything but {@link Kind#NODE_OUTPUT} and {@link Kind#RUN_ID}.
 *
 * @param kind what the reference reads
 * @param node the node id, for {@link Kind#NODE_OUTPUT} and {@link Kind#NODE_NAMED_OUTPUT}; else
 *     {@code null}
 * @param name the input, output or variable name; {@code null} where the kind has none
 * @param offset the index of the opening <code>{{</code> in the template text
 * @param length the number of characters from <code>{{</code> to <code>}}</code> inclusive
 */
public record Reference(Kind kind, String node, String name, int offset, int length) {

  /** What a reference reads. */
  public enum Kind {
    /** {@code {{ inputs.NAME }}}: a workflow input. */
    INPUT,
    /** {@code {{ nodes.ID.output }}}: a node's final message. */
    NODE_OUTPUT,
    /** {@code {{ nodes.ID.outputs.NAME }}}: a node's declared output. */
    NODE_NAMED_OUTPUT,
    /** {@code {{ run.id }}}: the run's id. */
    RUN_ID,
    /** {@code {{ env.NAME }}}: a variable of Orchestra's own environment. */
    ENV
  }

  public Reference {
    Objects.requireNonNull(kind, "kind");
  }

  /** Whether this reference reads a node's output (either kind). */
  public boolean isNode() {
    return kind == Kind.NODE_OUTPUT || kind == Kind.NODE_NAMED_OUTPUT;
  }

  /** The dotted path, e.g. {@code nodes.plan.outputs.plan}, without braces or offsets. */
  public String expression() {
    return switch (kind) {
      case INPUT -> "inputs." + name;
      case NODE_OUTPUT -> "nodes." + node + ".output";
      case NODE_NAMED_OUTPUT -> "nodes." + node + ".outputs." + name;
      case RUN_ID -> "run.id";
      case ENV -> "env." + name;
    };
  }

  /** The canonical spelling, e.g. {@code {{ inputs.task }}}, as used in messages. */
  @Override
  public String toString() {
    return "{{ " + expression() + " }}";
  }
}
