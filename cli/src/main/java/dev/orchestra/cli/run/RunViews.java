package dev.orchestra.cli.run;

import java.io.PrintWriter;
import java.time.Clock;

/** Chooses how a run is shown: {@code --json}, the live view on a terminal, or plain lines. */
public final class RunViews {
  private RunViews() {}

  /**
   * The view for these options.
   *
   * @param json {@code --json} was given: JSON lines on {@code out}, notes on {@code err}
   * @param live the live view is allowed ({@code --no-live} was not given)
   * @param terminal where {@code out} goes
   * @param decide how the views name the commands that decide a waiting node
   */
  public static RunView choose(
      boolean json,
      boolean live,
      Terminal terminal,
      NodeLayout layout,
      PrintWriter out,
      PrintWriter err,
      DecisionHint decide) {
    if (json) {
      return new JsonView(out, err);
    }
    if (live && terminal.interactive()) {
      return new LiveView(
              out, layout, Clock.systemUTC(), terminal.columns(), terminal.rows(), decide)
          .start();
    }
    return new LineView(out, Math.min(layout.idWidth(), 30), decide);
  }
}
