package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code checks} (docs/checks.md): each entry has exactly one type key ({@code exists},
 * {@code run}, {@code junit}, {@code critic}) and only the options of that type. Not thread-safe:
 * one instance per parse.
 */
final class CheckReader {
  private final ValueReader in;

  CheckReader(ValueReader in) {
    this.in = in;
  }

  List<CheckSpec> checks(Tree v, String where) {
    Sequence seq = in.sequence(v, "'checks'", "a list of checks");
    if (seq == null) {
      return null;
    }
    List<CheckSpec> checks = new ArrayList<>(seq.items().size());
    for (int i = 0; i < seq.items().size(); i++) {
      CheckSpec c = check(seq.items().get(i), "check " + (i + 1) + " of " + where);
      if (c != null) {
        checks.add(c);
      }
    }
    return checks;
  }

  private CheckSpec check(Tree v, String where) {
    Mapping m = in.mapping(v, where, "a mapping with one of 'exists', 'run', 'junit' or 'critic'");
    if (m == null) {
      return null;
    }
    List<String> types = new ArrayList<>(2);
    for (String key : m.entries().keySet()) {
      if (Keys.CHECK_TYPES.containsKey(key)) {
        types.add(key);
      }
    }
    if (types.size() > 1) {
      in.report(
          m.entries().get(types.get(1)).keyPosition(),
          where
              + " has "
              + types.size()
              + " check types ('"
              + String.join("', '", types)
              + "'); write each as its own check");
      return null;
    }
    if (types.isEmpty()) {
      int before = in.problems().size();
      in.entries(m, Keys.CHECK_ANY, where);
      if (in.problems().size() == before) {
        in.report(
            m.position(),
            where + " has no check type; use one of 'exists', 'run', 'junit', 'critic'");
      }
      return null;
    }
    String type = types.get(0);
    List<Entry> entries = in.entries(m, Keys.CHECK_TYPES.get(type), where + " ('" + type + "')");
    return switch (type) {
      case "exists" -> exists(m);
      case "run" -> run(entries);
      case "junit" -> junit(entries);
      default -> critic(m.get("critic"), where);
    };
  }

  private CheckSpec exists(Mapping m) {
    Tree v = m.get("exists");
    List<String> globs = in.strings(v, "'exists'", true);
    if (globs == null) {
      return null;
    }
    if (globs.isEmpty()) {
      in.report(v.position(), "'exists' must name at least one glob");
      return null;
    }
    return new CheckSpec.Exists(globs);
  }

  private CheckSpec run(List<Entry> entries) {
    String command = null;
    String name = null;
    java.time.Duration timeout = null;
    ExecutorKind executor = null;
    boolean ok = true;
    for (Entry e : entries) {
      Tree v = e.value();
      switch (e.key()) {
        case "run" -> {
          command = in.text(v, "'run'");
          ok &= command != null;
        }
        case "name" -> {
          name = in.text(v, "'name'");
          ok &= name != null;
        }
        case "timeout" -> {
          timeout = in.duration(v, "'timeout'", false);
          ok &= timeout != null;
        }
        default -> {
          executor = in.oneOf(v, "'executor'", ExecutorKind.class);
          ok &= executor != null;
        }
      }
    }
    return ok ? new CheckSpec.Run(command, name, timeout, executor) : null;
  }

  private CheckSpec junit(List<Entry> entries) {
    String glob = null;
    int minTests = 1;
    boolean ok = true;
    for (Entry e : entries) {
      if (e.key().equals("junit")) {
        glob = in.text(e.value(), "'junit'");
        ok &= glob != null;
      } else {
        Integer n = in.positiveInt(e.value(), "'min_tests'");
        ok &= n != null;
        minTests = n == null ? minTests : n;
      }
    }
    return ok ? new CheckSpec.Junit(glob, minTests) : null;
  }

  private CheckSpec critic(Tree v, String where) {
    if (v instanceof Scalar s && s.isString()) {
      String criteria = in.text(v, "'critic'");
      return criteria == null ? null : new CheckSpec.Critic(null, criteria, null);
    }
    Mapping m =
        in.mapping(v, "'critic'", "the criteria as text or a mapping {agent, prompt, model}");
    if (m == null) {
      return null;
    }
    String agent = null;
    String prompt = null;
    String model = null;
    boolean ok = true;
    for (Entry e : in.entries(m, Keys.CRITIC, "critic of " + where)) {
      String s = in.text(e.value(), "critic '" + e.key() + "'");
      ok &= s != null;
      switch (e.key()) {
        case "agent" -> agent = s;
        case "prompt" -> prompt = s;
        default -> model = s;
      }
    }
    if (!m.entries().containsKey("prompt")) {
      in.report(m.position(), "critic of " + where + " needs a 'prompt' with its criteria");
      return null;
    }
    return ok ? new CheckSpec.Critic(agent, prompt, model) : null;
  }
}
