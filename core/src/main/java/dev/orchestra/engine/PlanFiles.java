package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files a planned run's workflow reads besides itself — the workflows of its {@code uses} and
 * its {@code prompt_file}s — by their path relative to the directory the run was planned in. At
 * plan time they are read once from disk (and the composed workflows validated); every later
 * process of the run reads the recorded copies instead, so that a checkout that moved on cannot
 * change what the run does. Not thread-safe while capturing; read-only afterwards.
 */
final class PlanFiles {
  private final Path base;
  private final Map<String, String> texts;

  private PlanFiles(Path base, Map<String, String> texts) {
    this.base = base.toAbsolutePath().normalize();
    this.texts = texts;
  }

  /** An empty set that {@link #capturing} and {@link #capture} fill from disk. */
  static PlanFiles empty(Path base) {
    return new PlanFiles(base, new LinkedHashMap<>());
  }

  /** The recorded files of a planned run. */
  static PlanFiles recorded(Path base, Map<String, String> texts) {
    return new PlanFiles(base, Collections.unmodifiableMap(new LinkedHashMap<>(texts)));
  }

  /** The texts by relative path, as {@link dev.orchestra.store.PlannedRunStore} keeps them. */
  Map<String, String> texts() {
    return Collections.unmodifiableMap(texts);
  }

  /** A reader that loads composed workflows from disk with {@code loader}, keeping their texts. */
  WorkflowReader capturing(WorkflowReader loader) {
    return new WorkflowReader() {
      @Override
      public Workflow load(Path file) {
        String text;
        try {
          text = Files.readString(file);
        } catch (IOException e) {
          throw new OrchestraException(
              "cannot read the composed workflow " + file + ": " + e + "; check the 'uses' path",
              e);
        }
        texts.put(key(file), text);
        return loader.parse(file, text);
      }

      @Override
      public Workflow parse(Path file, String text) {
        return loader.parse(file, text);
      }
    };
  }

  /** Reads {@code file} from disk and keeps its text (a prompt file at plan time). */
  void capture(Path file) {
    try {
      texts.put(key(file), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A reader of the recorded workflows: parsed, not validated again (they were when the run was
   * planned, and validation would read the files' neighbours from disk).
   */
  WorkflowReader reader() {
    return new WorkflowReader() {
      @Override
      public Workflow load(Path file) {
        return parse(file, text(file));
      }

      @Override
      public Workflow parse(Path file, String text) {
        ParseResult parsed = WorkflowParser.create().parse(file, text);
        if (!parsed.problems().isEmpty() || parsed.workflow() == null) {
          throw new InvalidWorkflowException(parsed.problems());
        }
        return parsed.workflow();
      }
    };
  }

  /** The recorded prompt files, for {@link RunGraph#build}. */
  Scope.FileSource prompts() {
    return this::text;
  }

  private String text(Path file) {
    String text = texts.get(key(file));
    if (text == null) {
      throw new OrchestraException(
          "the run's records hold no copy of "
              + key(file)
              + "; it was not part of the workflow when the run was planned: plan a new run");
    }
    return text;
  }

  /** {@code file} relative to the base directory, with {@code /} between names. */
  String key(Path file) {
    Path abs = file.isAbsolute() ? file.normalize() : base.resolve(file).normalize();
    return base.relativize(abs).toString().replace(java.io.File.separatorChar, '/');
  }
}
