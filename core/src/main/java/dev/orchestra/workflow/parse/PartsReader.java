package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Approval;
import dev.orchestra.workflow.ContextSource;
import dev.orchestra.workflow.CredentialRef;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.Logs;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.OutputSpec;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the structured parts of a node: context, outputs, credentials, Docker options and the
 * approval gate. Not thread-safe: one instance per parse.
 */
final class PartsReader {
  private final ValueReader in;

  PartsReader(ValueReader in) {
    this.in = in;
  }

  List<ContextSource> context(Tree v, String where) {
    Sequence seq = in.sequence(v, "'context'", "a list of {file: GLOB}, {url: URL} or {node: ID}");
    if (seq == null) {
      return null;
    }
    List<ContextSource> out = new ArrayList<>(seq.items().size());
    for (int i = 0; i < seq.items().size(); i++) {
      String label = "context " + (i + 1) + " of " + where;
      Mapping m =
          in.mapping(seq.items().get(i), label, "one of {file: GLOB}, {url: URL}, {node: ID}");
      if (m == null) {
        continue;
      }
      Entry e = only(m, Keys.CONTEXT, label);
      String s = e == null ? null : in.text(e.value(), "'" + e.key() + "'");
      if (s == null) {
        continue;
      }
      switch (e.key()) {
        case "file" -> out.add(new ContextSource.FileContext(s));
        case "url" -> {
          if (ContextSource.UrlContext.isHttp(s)) {
            out.add(new ContextSource.UrlContext(s));
          } else {
            in.report(
                e.value().position(),
                "'url' must start with http:// or https://, was \"" + s + "\"");
          }
        }
        default -> out.add(new ContextSource.NodeContext(s));
      }
    }
    return out;
  }

  Map<String, OutputSpec> outputs(Tree v, String where) {
    Mapping m =
        in.mapping(v, "'outputs'", "a mapping of output names to {file: PATH} or {json: PATH}");
    if (m == null) {
      return null;
    }
    in.duplicates(m, "output", " in " + where);
    Map<String, OutputSpec> out = new LinkedHashMap<>();
    for (Entry o : m.entries().values()) {
      String label = "output '" + o.key() + "' of " + where;
      Mapping spec = in.mapping(o.value(), label, "{file: PATH} or {json: PATH}");
      if (spec == null) {
        continue;
      }
      Entry e = only(spec, Keys.OUTPUT, label);
      String path = e == null ? null : in.text(e.value(), "'" + e.key() + "'");
      if (path != null) {
        out.put(
            o.key(),
            e.key().equals("file")
                ? new OutputSpec.FileOutput(path)
                : new OutputSpec.JsonOutput(path));
      }
    }
    return out;
  }

  /**
   * The one entry of {@code m} whose key is one of {@code keys}, or {@code null} after reporting
   * that there is none or more than one (an unknown key is reported by itself).
   */
  private Entry only(Mapping m, Set<String> keys, String label) {
    List<Entry> entries = in.entries(m, keys, label);
    if (entries.size() == 1) {
      return entries.get(0);
    }
    if (entries.size() > 1 || m.entries().isEmpty()) {
      in.report(
          m.position(), label + " must have exactly one of '" + String.join("', '", keys) + "'");
    }
    return null;
  }

  List<CredentialRef> credentials(Tree v) {
    Sequence seq = in.sequence(v, "'credentials'", "a list of names or {VARIABLE: name}");
    if (seq == null) {
      return null;
    }
    List<CredentialRef> out = new ArrayList<>(seq.items().size());
    for (Tree item : seq.items()) {
      if (item instanceof Mapping m && m.entries().size() == 1 && m.duplicates().isEmpty()) {
        Entry e = m.entries().values().iterator().next();
        String name = in.text(e.value(), "credential name for '" + e.key() + "'");
        if (envName(in, e) && name != null) {
          out.add(new CredentialRef(name, e.key()));
        }
      } else if (item instanceof Mapping) {
        in.wrongType(item, "'credentials' entries", "a name or {VARIABLE: name} with one entry");
      } else {
        String name = in.text(item, "'credentials' entries");
        if (name != null) {
          out.add(CredentialRef.named(name));
        }
      }
    }
    return out;
  }

  /**
   * Whether the key of {@code e} is an environment variable name ({@link NodeSpec#ENV_NAME});
   * reports it when not.
   */
  static boolean envName(ValueReader in, Entry e) {
    if (NodeSpec.ENV_NAME.matcher(e.key()).matches()) {
      return true;
    }
    in.report(
        e.keyPosition(),
        "environment variable name '" + e.key() + "' must match " + NodeSpec.ENV_NAME.pattern());
    return false;
  }

  DockerOptions docker(Tree v, String where) {
    Mapping m =
        in.mapping(
            v,
            "'docker'",
            "a mapping {cpus, memory, network, mounts, pids_limit, capabilities,"
                + " no_new_privileges}");
    if (m == null) {
      return null;
    }
    Double cpus = null;
    String memory = null;
    String network = null;
    List<String> mounts = null;
    Long pids = null;
    List<String> capabilities = null;
    Boolean noNewPrivileges = null;
    for (Entry e : in.entries(m, Keys.DOCKER, where)) {
      Tree value = e.value();
      switch (e.key()) {
        case "cpus" -> {
          cpus = in.toDouble(in.positiveNumber(value, "docker 'cpus'"), value, "docker 'cpus'");
        }
        case "memory" -> memory = memory(value);
        case "network" -> network = in.oneOf(value, "docker 'network'", DockerOptions.NETWORKS);
        case "pids_limit" -> pids = in.positiveLong(value, "docker 'pids_limit'");
        case "capabilities" -> capabilities = capabilities(value);
        case "no_new_privileges" -> noNewPrivileges = in.bool(value, "docker 'no_new_privileges'");
        default -> mounts = mounts(value);
      }
    }
    return new DockerOptions(cpus, memory, network, mounts, pids, capabilities, noNewPrivileges);
  }

  /**
   * Reads {@code {max: SIZE | unlimited}}: a size in powers of 1,024 ({@code 64MiB}, {@code 512k},
   * {@code 1g}) of at least 1 KiB, or {@code unlimited}. A bad value is reported at its position,
   * with a did-you-mean for a misspelt {@code unlimited}.
   */
  Logs logs(Tree v, String where) {
    Mapping m = in.mapping(v, "'logs'", "a mapping {max}, e.g. logs: {max: 64MiB}");
    if (m == null) {
      return null;
    }
    Logs logs = null;
    for (Entry e : in.entries(m, Keys.LOGS, where)) {
      logs = logsMax(e.value());
    }
    return logs;
  }

  private Logs logsMax(Tree v) {
    String s =
        v instanceof Scalar sc && (sc.isString() || sc.type() == Tree.ScalarType.INTEGER)
            ? sc.text()
            : null;
    String expected =
        "logs 'max' must be a size such as 64MiB, 512k or 1g, or unlimited, was " + v.describe();
    if (s == null) {
      in.report(v.position(), expected);
      return null;
    }
    if (s.strip().equalsIgnoreCase(Logs.UNLIMITED_WORD)) {
      return Logs.UNLIMITED;
    }
    java.util.OptionalLong size = Logs.size(s);
    if (size.isEmpty()) {
      in.report(
          v.position(),
          expected,
          Suggestions.closest(s.strip().toLowerCase(java.util.Locale.ROOT), Set.of("unlimited"))
              .map(c -> "did you mean '" + c + "'?")
              .orElse("units are b, k (KiB), m (MiB) and g (GiB)"));
      return null;
    }
    if (size.getAsLong() < Logs.MIN) {
      in.report(v.position(), "logs 'max' must be at least 1k, was " + v.describe());
      return null;
    }
    return new Logs(size.getAsLong());
  }

  /** The capabilities kept, each a name Docker knows; unknown ones reported with a did-you-mean. */
  private List<String> capabilities(Tree v) {
    List<String> names = in.strings(v, "docker 'capabilities'", false);
    if (names == null) {
      return null;
    }
    List<String> ok = new ArrayList<>(names.size());
    for (Tree item : ((Sequence) v).items()) {
      if (item instanceof Scalar s && s.isString()) {
        String name = DockerOptions.capability(s.text());
        if (DockerOptions.CAPABILITIES.contains(name)) {
          ok.add(name);
        } else {
          in.report(
              item.position(),
              "unknown docker capability '" + s.text() + "'",
              Suggestions.closest(name, DockerOptions.CAPABILITIES)
                  .map(c -> "did you mean '" + c + "'?")
                  .orElse("names are Linux capabilities without CAP_, e.g. NET_BIND_SERVICE"));
        }
      }
    }
    return ok;
  }

  private String memory(Tree v) {
    String s = v instanceof Scalar sc && sc.type() == Tree.ScalarType.INTEGER ? sc.text() : null;
    if (s == null && v instanceof Scalar sc && sc.isString()) {
      s = sc.text();
    }
    if (s != null && DockerOptions.MEMORY.matcher(s).matches()) {
      return s;
    }
    in.report(
        v.position(), "docker 'memory' must be a size such as 512m or 4g, was " + v.describe());
    return null;
  }

  private List<String> mounts(Tree v) {
    List<String> mounts = in.strings(v, "docker 'mounts'", false);
    if (mounts == null) {
      return null;
    }
    Sequence seq = (Sequence) v;
    List<String> ok = new ArrayList<>(mounts.size());
    for (Tree item : seq.items()) {
      if (item instanceof Scalar s && s.isString()) {
        if (DockerOptions.MOUNT.matcher(s.text()).matches()) {
          ok.add(s.text());
        } else {
          in.report(
              item.position(),
              "docker mount '"
                  + s.text()
                  + "' must look like HOST:/container/path[:ro|:rw], HOST a path in the"
                  + " workspace");
        }
      }
    }
    return ok;
  }

  /**
   * Reads {@code {message, approvers}}. An approver written twice, blank or with a comma is
   * reported and left out; a single name counts as a list of one.
   */
  Approval approval(Tree v, String where) {
    Mapping m = in.mapping(v, "'approval'", "a mapping {message, approvers}");
    if (m == null) {
      return null;
    }
    String message = null;
    List<String> approvers = new ArrayList<>();
    for (Entry e : in.entries(m, Keys.APPROVAL, where)) {
      if (e.key().equals("message")) {
        message = in.text(e.value(), "approval 'message'");
      } else {
        approvers = approvers(e.value());
      }
    }
    return new Approval(message, approvers);
  }

  private List<String> approvers(Tree v) {
    String label = "approval 'approvers'";
    if (v instanceof Scalar s && s.isString()) {
      return approver(s, List.of()) ? List.of(s.text()) : List.of();
    }
    Sequence seq = in.sequence(v, label, "a list of names");
    List<String> ok = new ArrayList<>();
    if (seq == null) {
      return ok;
    }
    for (Tree item : seq.items()) {
      String name = in.string(item, label + " entries");
      if (name != null && approver((Scalar) item, ok)) {
        ok.add(name);
      }
    }
    return ok;
  }

  /** Whether {@code s} may name an approver after {@code before}; reports it when not. */
  private boolean approver(Scalar s, List<String> before) {
    String name = s.text();
    if (name.isBlank()) {
      in.report(s.position(), "an approver must not be empty");
      return false;
    }
    if (name.contains(",")) {
      in.report(
          s.position(),
          "approver '" + name + "' contains a comma; write one name per entry",
          "approvers: [" + String.join(", ", name.split("\\s*,\\s*")) + "]");
      return false;
    }
    if (before.contains(name)) {
      in.report(s.position(), "approver '" + name + "' is listed twice; remove one");
      return false;
    }
    return true;
  }
}
