package dev.orchestra.engine;

/**
 * A budget that spending went over: the node's ({@code budget}) or the run's ({@code
 * limits.budget}). Either way the node whose usage crossed it stops with status {@code
 * budget_exceeded} and this reason; the run's stops the whole run as well.
 *
 * @param ofRun whether it is the run's budget
 * @param reason e.g. {@code node budget exceeded: 50 tokens > 30}
 */
record Overrun(boolean ofRun, String reason) {

  static Overrun node(String over) {
    return new Overrun(false, "node budget exceeded: " + over);
  }

  static Overrun run(String over) {
    return new Overrun(true, "run budget exceeded: " + over);
  }
}
