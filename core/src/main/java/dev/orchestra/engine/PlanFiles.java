package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.trust.ReadLimits;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.io.IOException;
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
    // Real, as the path rule answers the files' paths: a base reached through a link keys alike.
    Path abs = base.toAbsolutePath().normalize();
    try {
      abs = abs.toRealPath();
    } catch (IOException e) {
      // A base that does not exist has no links to resolve.
    }
    this.base = abs;
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

  /**
   * A reader that loads composed workflows from disk with {@code loader}, keeping their texts (each
   * file a path the rule of the workflow's repository accepted, {@link RunGraph}).
   */
  WorkflowReader capturing(WorkflowReader loader) {
    return new WorkflowReader() {
      @Override
      public Workflow load(Path file, Trust trust) {
        String text;
        try {
          text = Files.readString(file);
        } catch (IOException e) {
          throw new OrchestraException(
              "cannot read the composed workflow " + file + ": " + e + "; check the 'uses' path",
              e);
        }
        texts.put(key(file), text);
        return loader.parse(file, text, trust);
      }

      @Override
      public Workflow parse(Path file, String text, Trust trust) {
        return loader.parse(file, text, trust);
      }
    };
  }

  /**
   * Reads the prompt file {@code written} (relative to {@code dir}) from disk under the rule of the
   * workflow's repository, as a run would, and keeps its text.
   *
   * @param what the file for messages
   * @throws OrchestraException when the rule refuses the path or the file cannot be read
   */
  void capture(WorkspacePaths repository, Path dir, String written, String what) {
    WorkspacePaths.Resolved r = Scope.DISK.locate(repository, dir, written);
    if (r instanceof WorkspacePaths.Refused refused) {
      throw new OrchestraException(what + " " + refused.reason());
    }
    Path file = ((WorkspacePaths.Inside) r).path();
    try {
      texts.put(key(file), Scope.DISK.read(repository, file, what, ReadLimits.PROMPT_FILE_BYTES));
    } catch (IOException e) {
      throw new OrchestraException(e.getMessage(), e);
    }
  }

  /**
   * A reader of the recorded workflows: parsed, not validated again (they were when the run was
   * planned, and validation would read the files' neighbours from disk).
   */
  WorkflowReader reader() {
    return new WorkflowReader() {
      @Override
      public Workflow load(Path file, Trust trust) {
        return parse(file, text(file), trust);
      }

      @Override
      public Workflow parse(Path file, String text, Trust trust) {
        ParseResult parsed = WorkflowParser.create().parse(file, text);
        if (!parsed.problems().isEmpty() || parsed.workflow() == null) {
          throw new InvalidWorkflowException(parsed.problems());
        }
        return parsed.workflow();
      }
    };
  }

  /**
   * The recorded files, for {@link RunGraph#build}: the path rule still applies to where a file was
   * named (it leads where it did at plan time), but nothing is read from disk, and a file need not
   * exist there any more.
   */
  Scope.FileSource source() {
    return new Scope.FileSource() {
      @Override
      public WorkspacePaths.Resolved locate(WorkspacePaths repository, Path dir, String written) {
        return repository.resolve(dir, written);
      }

      @Override
      public String read(WorkspacePaths repository, Path file, String what, long capBytes) {
        return text(file);
      }
    };
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
