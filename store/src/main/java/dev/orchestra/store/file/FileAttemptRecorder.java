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
 * {@code checks/N.json}, {@code output.txt}, {@code usage.json}, {@code outputs.json}, {@code
 * processes.jsonl} (the process groups it started, one JSON object per line). Log lines are
 * buffered and flushed on {@link #close()}; the same lines are also in the run's events, which are
 * flushed one by one.
 */
final class FileAttemptRecorder implements AttemptRecorder {
  private final Path dir;
  private BufferedOutputStream stdout;
  private BufferedOutputStream stderr;
  private boolean closed;

  FileAttemptRecorder(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw failure("create", dir, e);
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void prompt(String prompt) {
    write(FileRunStore.PROMPT, prompt);
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
    return new BufferedOutputStream(new FileOutputStream(dir.resolve(name).toFile(), true));
  }

  @Override
  public void check(int index, CheckResult result) {
    Path checks = dir.resolve(FileRunStore.CHECKS);
    try {
      Files.createDirectories(checks);
    } catch (IOException e) {
      throw failure("create", checks, e);
    }
    write(FileRunStore.CHECKS + "/" + index + ".json", RecordsJson.check(result));
  }

  @Override
  public void output(String output) {
    // An empty output is recorded by the absence of the file: one file less per trivial node.
    if (output != null && !output.isEmpty()) {
      write(FileRunStore.OUTPUT, output);
    }
  }

  @Override
  public void usage(Usage usage) {
    write(FileRunStore.USAGE, RecordsJson.usage(usage));
  }

  @Override
  public void outputs(Map<String, String> outputs) {
    write(FileRunStore.OUTPUTS, RecordsJson.strings(outputs));
  }

  @Override
  public synchronized void process(ProcessGroup group) {
    Path file = dir.resolve(FileRunStore.PROCESSES);
    // One write(2) per line in append mode: a crash tears at most the line being written.
    try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
      out.write(RecordsJson.process(group).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw failure("write", file, e);
    }
  }

  private void write(String name, String text) {
    Path file = dir.resolve(name);
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
