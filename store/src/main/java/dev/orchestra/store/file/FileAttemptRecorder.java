package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecorder;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes {@code nodes/NODE/ATTEMPT/}: {@code prompt.txt}, {@code stdout.log}, {@code stderr.log},
 * {@code checks/N.json}, {@code output.txt}, {@code outputs.json}, each only when it has something
 * to hold, and the directory only with its first file (or when {@link #directory()} is asked for):
 * an attempt that has no prompt, output or checks leaves no directory. Its small facts (the process
 * groups it started, what it spent) go to the run's {@code attempts.jsonl} ({@link AttemptFacts}),
 * its end as the last of them. Log lines are buffered and flushed on {@link #close()}; the same
 * lines are also in the run's events, which are flushed one by one.
 */
final class FileAttemptRecorder implements AttemptRecorder {
  private final Path dir;
  private final String node;
  private final int attempt;
  private final AttemptFacts.Writer facts;
  private BufferedOutputStream stdout;
  private BufferedOutputStream stderr;
  private Usage usage;
  private boolean closed;

  FileAttemptRecorder(Path dir, String node, int attempt, AttemptFacts.Writer facts) {
    this.dir = dir;
    this.node = node;
    this.attempt = attempt;
    this.facts = facts;
  }

  /** Creates the attempt's directory: it is to hold a file, or the caller's working files. */
  @Override
  public Path directory() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw failure("create", dir, e);
    }
    return dir;
  }

  @Override
  public void prompt(String prompt) {
    // An empty prompt is recorded by the absence of the file, as is an empty output.
    if (prompt != null && !prompt.isEmpty()) {
      write(FileRunStore.PROMPT, prompt);
    }
  }

  @Override
  public synchronized void line(OutputStream stream, String line) {
    if (closed) {
      return;
    }
    try {
      BufferedOutputStream out = stream == OutputStream.STDERR ? stderr() : stdout();
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    } catch (IOException e) {
      throw failure("write", dir.resolve(stream.wireName() + ".log"), e);
    }
  }

  private BufferedOutputStream stdout() throws IOException {
    if (stdout == null) {
      stdout = open(FileRunStore.STDOUT);
    }
    return stdout;
  }

  private BufferedOutputStream stderr() throws IOException {
    if (stderr == null) {
      stderr = open(FileRunStore.STDERR);
    }
    return stderr;
  }

  private BufferedOutputStream open(String name) throws IOException {
    return new BufferedOutputStream(new FileOutputStream(directory().resolve(name).toFile(), true));
  }

  @Override
  public void check(int index, CheckResult result) {
    Path checks = directory().resolve(FileRunStore.CHECKS);
    try {
      Files.createDirectories(checks);
    } catch (IOException e) {
      throw failure("create", checks, e);
    }
    write(FileRunStore.CHECKS + "/" + index + ".json", RecordsJson.check(result));
  }

  @Override
  public void output(String output) {
    // An empty output is recorded by the absence of the file: no file for a trivial node.
    if (output != null && !output.isEmpty()) {
      write(FileRunStore.OUTPUT, output);
    }
  }

  /** Kept until {@link #close()}, which records the attempt's end with it. */
  @Override
  public synchronized void usage(Usage usage) {
    this.usage = usage;
  }

  @Override
  public void outputs(Map<String, String> outputs) {
    if (outputs != null && !outputs.isEmpty()) {
      write(FileRunStore.OUTPUTS, RecordsJson.strings(outputs));
    }
  }

  @Override
  public void process(ProcessGroup group) {
    try {
      facts.process(node, attempt, group);
    } catch (IOException e) {
      throw failure("write", facts.file(), e);
    }
  }

  private void write(String name, String text) {
    Path file = directory().resolve(name);
    try {
      AtomicFiles.writePlain(file, text);
    } catch (IOException e) {
      throw failure("write", file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (stdout != null) {
        stdout.close();
      }
      if (stderr != null) {
        stderr.close();
      }
    } catch (IOException e) {
      throw failure("close", dir, e);
    }
    try {
      // Also the record that the attempt was made, for one that left no file.
      facts.ended(node, attempt, usage);
    } catch (IOException e) {
      throw failure("write", facts.file(), e);
    }
  }

  private static OrchestraException failure(String what, Path file, IOException e) {
    return new OrchestraException(
        "cannot "
            + what
            + " run record "
            + file
            + ": "
            + e.getMessage()
            + "; check free space and permissions",
        e);
  }
}
