package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Backoff;
import dev.orchestra.workflow.Budget;
import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.OnConflict;
import dev.orchestra.workflow.Price;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one node, or the workflow's {@code defaults}, into a {@link NodeSpec}. Values with problems
 * are reported and left absent. Not thread-safe: one instance per parse.
 */
final class NodeReader {
  private final ValueReader in;
  private final PartsReader parts;
  private final CheckReader checks;

  NodeReader(ValueReader in) {
    this.in = in;
    this.parts = new PartsReader(in);
    this.checks = new CheckReader(in);
  }

  /** Reads node {@code id}; {@code id} is {@code null} for the defaults. */
  NodeSpec node(String id, Mapping m) {
    String where = id == null ? "defaults" : "node '" + id + "'";
    NodeSpec.Builder b = NodeSpec.builder(id);
    // The defaults accept the node keys so that 'needs' gets its own message, not a did-you-mean.
    for (Entry e : in.entries(m, Keys.NODE, where)) {
      if (e.key().equals("needs") && id == null) {
        in.report(e.keyPosition(), "'needs' cannot be defaulted; set it on each node");
        continue;
      }
      read(b, e, where);
    }
    return b.build();
  }

  private void read(NodeSpec.Builder b, Entry e, String where) {
    Tree v = e.value();
    String label = "'" + e.key() + "'";
    switch (e.key()) {
      case "needs" -> b.needs(needs(v, where));
      case "agent" -> b.agent(in.text(v, label));
      case "uses" -> b.uses(in.text(v, label));
      case "with" -> b.with(in.textMap(v, label));
      case "prompt" -> b.prompt(in.string(v, label));
      case "prompt_file" -> b.promptFile(in.text(v, label));
      case "command" -> b.command(command(v));
      case "model" -> b.model(in.text(v, label));
      case "args" -> b.args(in.strings(v, label, false));
      case "endpoint" -> b.endpoint(in.text(v, label));
      case "context" -> b.context(parts.context(v, where));
      case "checks" -> b.checks(checks.checks(v, where));
      case "attempts" -> b.attempts(in.positiveInt(v, label));
      case "backoff" -> b.backoff(backoff(v, "backoff of " + where));
      case "timeout" -> b.timeout(in.duration(v, label, false));
      case "idle_timeout" -> b.idleTimeout(in.duration(v, label, false));
      case "executor" -> b.executor(in.oneOf(v, label, ExecutorKind.class));
      case "image" -> b.image(in.text(v, label));
      case "docker" -> b.docker(parts.docker(v, "docker options of " + where));
      case "logs" -> b.logs(parts.logs(v, "logs of " + where));
      case "env" -> b.env(env(v));
      case "credentials" -> b.credentials(parts.credentials(v));
      case "outputs" -> b.outputs(parts.outputs(v, where));
      case "continue_on_failure" -> b.continueOnFailure(in.bool(v, label));
      case "budget" -> b.budget(budget(v, "budget of " + where));
      case "price" -> b.price(price(v, "price of " + where));
      case "on_conflict" -> b.onConflict(in.oneOf(v, label, OnConflict.class));
      case "approval" -> b.approval(parts.approval(v, "approval of " + where));
      default -> throw new IllegalStateException("key accepted but not read: " + e.key());
    }
  }

  private List<String> needs(Tree v, String where) {
    if (v instanceof Scalar s && s.isString()) {
      return List.of(s.text());
    }
    Sequence seq = in.sequence(v, "'needs'", "a list of node ids");
    if (seq == null) {
      return null;
    }
    List<String> ids = new ArrayList<>(seq.items().size());
    Map<String, Integer> seen = new HashMap<>();
    for (Tree item : seq.items()) {
      // Node ids such as 1 or 2024 are plain YAML integers; they are still ids.
      String id =
          item instanceof Scalar s && s.type() == Tree.ScalarType.INTEGER
              ? s.text()
              : in.text(item, "'needs' entries");
      if (id == null) {
        continue;
      }
      if (seen.putIfAbsent(id, item.position().line()) != null) {
        in.report(
            item.position(),
            "'" + id + "' is listed twice in 'needs' of " + where + "; remove one");
        continue;
      }
      ids.add(id);
    }
    return ids;
  }

  private CommandSpec command(Tree v) {
    if (v instanceof Scalar s && s.isString()) {
      if (s.text().isBlank()) {
        in.report(v.position(), "'command' must not be empty");
        return null;
      }
      return CommandSpec.shell(s.text());
    }
    if (v instanceof Sequence seq) {
      if (seq.items().isEmpty()) {
        in.report(v.position(), "'command' must name a program: the list is empty");
        return null;
      }
      List<String> argv = new ArrayList<>(seq.items().size());
      boolean ok = true;
      for (Tree item : seq.items()) {
        String a = in.scalarText(item, "'command' arguments");
        ok &= a != null;
        argv.add(a);
      }
      return ok ? CommandSpec.argv(argv) : null;
    }
    in.wrongType(v, "'command'", "a string (run by sh -c) or a list of arguments");
    return null;
  }

  /** Reads {@code env}; a bad variable name is reported and left out. */
  private Map<String, String> env(Tree v) {
    Map<String, String> env = in.textMap(v, "'env'");
    if (env != null && v instanceof Mapping m) {
      for (Entry e : m.entries().values()) {
        if (!PartsReader.envName(in, e)) {
          env.remove(e.key());
        }
      }
    }
    return env;
  }

  /** Reads {@code {delay, factor, max}}; absent parts take {@link Backoff#DEFAULT}'s. */
  Backoff backoff(Tree v, String where) {
    Mapping m = in.mapping(v, "'backoff'", "a mapping {delay, factor, max}");
    if (m == null) {
      return null;
    }
    Duration delay = Backoff.DEFAULT.delay();
    double factor = Backoff.DEFAULT.factor();
    Duration max = Backoff.DEFAULT.max();
    boolean ok = true;
    Tree maxValue = null;
    for (Entry e : in.entries(m, Keys.BACKOFF, where)) {
      switch (e.key()) {
        case "delay" -> {
          Duration d = in.duration(e.value(), "backoff 'delay'", true);
          ok &= d != null;
          delay = d == null ? delay : d;
        }
        case "factor" -> {
          Double f = in.toDouble(factor(e.value()), e.value(), "backoff 'factor'");
          ok &= f != null;
          factor = f == null ? factor : f;
        }
        default -> {
          Duration d = in.duration(e.value(), "backoff 'max'", false);
          ok &= d != null;
          max = d == null ? max : d;
          maxValue = e.value();
        }
      }
    }
    if (ok && maxValue != null && max.compareTo(delay) < 0) {
      in.report(
          maxValue.position(),
          "backoff 'max' ("
              + Durations.format(max)
              + ") must not be shorter than 'delay' ("
              + Durations.format(delay)
              + ")");
      ok = false;
    }
    return ok ? new Backoff(delay, factor, max) : null;
  }

  private BigDecimal factor(Tree v) {
    if (v instanceof Scalar s
        && (s.type() == Tree.ScalarType.INTEGER || s.type() == Tree.ScalarType.DECIMAL)) {
      try {
        BigDecimal f = new BigDecimal(s.text());
        if (f.compareTo(BigDecimal.ONE) >= 0) {
          return f;
        }
        in.report(v.position(), "backoff 'factor' must be >= 1, was " + s.text());
        return null;
      } catch (NumberFormatException e) {
        // Falls through to the type message.
      }
    }
    in.wrongType(v, "backoff 'factor'", "a number >= 1");
    return null;
  }

  /** Reads {@code {usd, tokens}}. */
  Budget budget(Tree v, String where) {
    Mapping m = in.mapping(v, "'budget'", "a mapping {usd, tokens}");
    if (m == null) {
      return null;
    }
    BigDecimal usd = null;
    Long tokens = null;
    for (Entry e : in.entries(m, Keys.BUDGET, where)) {
      if (e.key().equals("usd")) {
        usd = in.positiveNumber(e.value(), "budget 'usd'");
      } else {
        tokens = in.positiveLong(e.value(), "budget 'tokens'");
      }
    }
    return new Budget(usd, tokens);
  }

  /**
   * Reads {@code {input_per_mtok, output_per_mtok, cached_input_per_mtok}}; the first two are
   * required, since a price without them would silently bill those tokens at zero.
   */
  Price price(Tree v, String where) {
    Mapping m =
        in.mapping(
            v, "'price'", "a mapping {input_per_mtok, output_per_mtok, cached_input_per_mtok}");
    if (m == null) {
      return null;
    }
    BigDecimal input = null;
    BigDecimal output = null;
    BigDecimal cached = null;
    boolean ok = true;
    for (Entry e : in.entries(m, Keys.PRICE, where)) {
      BigDecimal usd = in.nonNegativeNumber(e.value(), "price '" + e.key() + "'");
      ok &= usd != null;
      switch (e.key()) {
        case "input_per_mtok" -> input = usd;
        case "output_per_mtok" -> output = usd;
        default -> cached = usd;
      }
    }
    for (String required : new String[] {"input_per_mtok", "output_per_mtok"}) {
      if (!m.entries().containsKey(required)) {
        in.report(
            m.position(),
            where
                + " must set '"
                + required
                + "' (US dollars per million tokens), e.g. {input_per_mtok: 1.25,"
                + " output_per_mtok: 10}");
        ok = false;
      }
    }
    return ok ? new Price(input, output, cached) : null;
  }
}
