package dev.orchestra.server.workflows;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server's stored workflows: one file {@code DIR/NAME.yaml} per workflow, named by its {@code
 * name}, so that a stored workflow composes another with {@code uses: ./OTHER.yaml} (relative
 * {@code uses:} paths resolve from {@code DIR}). Every stored workflow is in the library of
 * composed agents.
 *
 * <p>Problems are those of {@code orchestra validate}, with one difference in {@code file}: a
 * problem in the text that was sent or stored under the name asked about has {@code file: null};
 * one in a composed file has that file's path relative to {@code DIR} as {@code uses:} names it
 * ({@code ./review.yaml}).
 *
 * <p>Saves are atomic (a temporary file moved into place), so a reader sees the old text or the new
 * one, and an invalid text is never saved. Thread-safe.
 */
public final class WorkflowLibrary {
  /** Workflow names, as SPEC §1 allows them. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  private static final String UNTITLED = ".untitled";
  private static final WorkflowParser PARSER = WorkflowParser.create();

  /** How many parsed texts are kept ({@link #parse}). */
  static final int PARSED_KEPT = 32;

  /** The longest text whose parse is kept, in chars: a workflow of some hundreds of nodes. */
  static final int PARSED_MAX_CHARS = 64 * 1024;

  private final Path dir;

  /** A parsed text, by where it is and what it says. */
  private record Source(Path file, String text) {}

  /**
   * The last texts parsed, most recently used last. A parse is a function of its file's path (for
   * positions) and its text, and its result is immutable, so a submission of a text sent before (a
   * client that submits the same workflow again and again) reuses it: the parse was more than half
   * of the check of a small workflow. The validation is not kept: it reads the file system
   * (composed files, the workspace), which may have changed since.
   */
  private final Map<Source, ParseResult> parsed =
      new LinkedHashMap<>(PARSED_KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Source, ParseResult> eldest) {
          return size() > PARSED_KEPT;
        }
      };

  /** A text after parsing and validation: the workflow when it parsed, and every problem. */
  public record Checked(Workflow workflow, List<Problem> problems, Path file, String text) {
    public Checked {
      problems = List.copyOf(problems);
    }

    /** Whether it can run: parsed, and no problem. */
    public boolean ok() {
      return workflow != null && problems.isEmpty();
    }
  }

  /** A stored workflow as listed. */
  public record Summary(String name, String description, Instant updated, int problemsCount) {}

  /** A stored workflow as {@code uses:} offers it. */
  public record Agent(
      String name,
      String uses,
      String description,
      Map<String, Input> inputs,
      List<String> outputs) {}

  /** An input of a library agent, as {@code with:} fills it. */
  public record Input(
      String description, boolean required, @JsonProperty("default") String defaultValue) {}

  public WorkflowLibrary(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The directory the workflows are stored in. */
  public Path directory() {
    return dir;
  }

  /** Whether {@code name} can name a stored workflow. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Where the workflow {@code name} is (or would be) stored. */
  public Path file(String name) {
    requireName(name);
    return dir.resolve(name + ".yaml");
  }

  /** The stored text of {@code name}, or empty. */
  public Optional<String> text(String name) {
    try {
      return Optional.of(Files.readString(file(name), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file(name) + ": " + e, e);
    }
  }

  /**
   * Parses and validates {@code text} as the stored workflow {@code name} ({@code null}: as a text
   * not stored under any name), composing the stored workflows.
   *
   * @param inputs a run's inputs (missing required ones are problems), or {@code null} to validate
   *     without a run
   */
  public Checked check(String name, String text, Map<String, String> inputs) {
    Path file = checkedFile(name);
    ParseResult parsed = parse(file, text);
    ValidationOptions options = ValidationOptions.defaults().withSource(file, text);
    if (inputs != null) {
      options = options.withInputs(inputs);
    }
    List<Problem> problems = new ArrayList<>();
    for (Problem p : Workflows.check(parsed, options)) {
      problems.add(relative(p, file));
    }
    Workflow workflow = parsed.workflow();
    if (workflow != null && name != null && !name.equals(workflow.name())) {
      SourcePosition at = workflow.sourceMap().value(SourceMap.pointer("name"));
      problems.add(
          new Problem(
              null,
              at.line(),
              at.column(),
              "the workflow is named '"
                  + workflow.name()
                  + "' but is saved as '"
                  + name
                  + "'; a workflow is stored under its name",
              "change name: to '" + name + "', or save it as '" + workflow.name() + "'"));
    }
    return new Checked(workflow, problems, file, text);
  }

  /** The file a text checked as workflow {@code name} is named after ({@code null}: untitled). */
  private Path checkedFile(String name) {
    return name == null ? dir.resolve(UNTITLED + ".yaml") : file(name);
  }

  /** {@code text} parsed as {@code file}: kept from an earlier parse of the same, when small. */
  private ParseResult parse(Path file, String text) {
    if (text == null || text.length() > PARSED_MAX_CHARS) {
      return PARSER.parse(file, text);
    }
    Source source = new Source(file, text);
    synchronized (parsed) {
      ParseResult kept = parsed.get(source);
      if (kept != null) {
        return kept;
      }
    }
    ParseResult result = PARSER.parse(file, text);
    synchronized (parsed) {
      parsed.put(source, result);
    }
    return result;
  }

  /** Whether the parse of {@code text} as the workflow {@code name} is kept (for tests). */
  boolean parseKept(String name, String text) {
    Path file = checkedFile(name);
    synchronized (parsed) {
      return parsed.containsKey(new Source(file, text));
    }
  }

  /**
   * {@code problems} found later in {@code checked}'s workflow (by the pre-flight of a run) with
   * their files named as {@link #check} names them: {@code null} for the text itself, {@code
   * ./NAME.yaml} for a stored workflow it composes.
   */
  public List<Problem> shown(Checked checked, List<Problem> problems) {
    return problems.stream().map(p -> relative(p, checked.file())).toList();
  }

  /** The stored workflow {@code name} checked, or empty when there is none. */
  public Optional<Checked> stored(String name) {
    return text(name).map(t -> check(name, t, null));
  }

  /**
   * Saves {@code text} as {@code name} when it validates; else saves nothing.
   *
   * @return the check; saved when {@link Checked#ok()}
   */
  public synchronized Checked save(String name, String text) {
    Checked checked = check(name, text, null);
    if (!checked.ok()) {
      return checked;
    }
    Path target = file(name);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot save workflow '" + name + "' in " + dir + ": " + e + "; check permissions", e);
    }
    return checked;
  }

  /** Deletes the stored workflow {@code name}; whether there was one. */
  public synchronized boolean delete(String name) {
    try {
      return Files.deleteIfExists(file(name));
    } catch (IOException e) {
      throw new OrchestraException("cannot delete " + file(name) + ": " + e, e);
    }
  }

  /** The stored workflows' names, sorted. */
  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .filter(WorkflowLibrary::isValidName)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new OrchestraException("cannot list the workflows in " + dir + ": " + e, e);
    }
  }

  /** Every stored workflow with its description and the number of its problems. */
  public List<Summary> list() {
    List<Summary> all = new ArrayList<>();
    for (String name : names()) {
      Optional<Checked> c = stored(name);
      if (c.isEmpty()) {
        continue; // deleted meanwhile
      }
      Workflow w = c.get().workflow();
      all.add(
          new Summary(
              name, w == null ? null : w.description(), modified(name), c.get().problems().size()));
    }
    return all;
  }

  /** The stored workflows that parse, as agents for {@code uses:}. */
  public List<Agent> agents() {
    List<Agent> all = new ArrayList<>();
    for (String name : names()) {
      Optional<Checked> c = stored(name);
      if (c.isEmpty() || c.get().workflow() == null) {
        continue;
      }
      Workflow w = c.get().workflow();
      Map<String, Input> inputs = new java.util.LinkedHashMap<>();
      w.inputs()
          .forEach(
              (k, v) -> inputs.put(k, new Input(v.description(), v.required(), v.defaultValue())));
      all.add(
          new Agent(
              name,
              "./" + name + ".yaml",
              w.description(),
              inputs,
              List.copyOf(w.outputs().keySet())));
    }
    return all;
  }

  private Instant modified(String name) {
    try {
      return Files.getLastModifiedTime(file(name)).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  private Problem relative(Problem p, Path file) {
    if (p.file() == null) {
      return p;
    }
    Path where = Path.of(p.file()).toAbsolutePath().normalize();
    String shown;
    if (where.equals(file)) {
      shown = null;
    } else if (where.startsWith(dir)) {
      shown = "./" + dir.relativize(where);
    } else {
      shown = p.file();
    }
    return new Problem(shown, p.line(), p.column(), p.message(), p.hint());
  }

  private static void requireName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "a workflow name is lower-case letters, digits, '_' and '-', was '" + name + "'");
    }
  }
}
