package dev.orchestra.cli.run;

import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The {@code --json} view: every event as one line of JSON ({@link EventJson}) on stdout and
 * nothing else there, so that the output can be piped into {@code jq}; the closing notes go to
 * stderr. Thread-safe.
 */
public final class JsonView implements RunView {
  private final PrintWriter out;
  private final PrintWriter err;

  public JsonView(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public synchronized void onEvent(RecordedEvent event) {
    out.println(EventJson.encode(event));
    out.flush();
  }

  @Override
  public synchronized void finish(RunResult result, Path records) {
    err.println(
        "run " + result.runId() + " " + result.status().wireName() + "; records: " + records);
    err.flush();
  }

  @Override
  public synchronized void interrupted(String runId) {
    err.println("interrupted; continue the run with: orchestra resume " + runId);
    err.flush();
  }
}
