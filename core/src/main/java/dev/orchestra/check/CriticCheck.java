package dev.orchestra.check;

import dev.orchestra.exec.Tail;

/**
 * The {@code critic} check (docs/checks.md): a second agent is shown the node's final message, the
 * diff of its workspace and the criteria, and must answer {@code {"pass": bool, "reason": "…"}}.
 * The reason of a failing verdict becomes the node's feedback. An agent that fails, or an answer
 * without a verdict, fails the check with the reason; nothing here throws for them. Immutable and
 * thread-safe.
 */
final class CriticCheck implements Check {
  /** How much of the diff the critic is shown; the rest is cut with a note. */
  static final int MAX_DIFF_CHARS = 200_000;

  /** How much of an answer without a verdict is quoted in the failure. */
  static final int QUOTED_CHARS = 300;

  private final String name;
  private final String agent;
  private final String criteria;
  private final String model;

  CriticCheck(String name, String agent, String criteria, String model) {
    this.name = name;
    this.agent = agent;
    this.criteria = criteria;
    this.model = model;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CheckResult run(CheckContext context) throws InterruptedException {
    AgentCall call = context.agents();
    if (call == null) {
      return fail("no agent can be run for the critic here; use a run or junit check instead");
    }
    AgentCall.Reply reply = call.ask(agent, model, prompt(context));
    if (!reply.completed()) {
      return fail("the critic agent did not answer: " + reply.failure());
    }
    return Verdict.parse(reply.message())
        .map(
            v ->
                new CheckResult(
                    name,
                    v.pass(),
                    Tail.of(
                        v.reason() != null && !v.reason().isEmpty()
                            ? v.reason()
                            : v.pass() ? "" : "the critic gave no reason",
                        Tail.FEEDBACK_BYTES)))
        .orElseGet(
            () ->
                fail(
                    "the critic's answer has no verdict {\"pass\": …}: "
                        + first(reply.message().strip(), QUOTED_CHARS)));
  }

  private CheckResult fail(String why) {
    return new CheckResult(name, false, Tail.of(why, Tail.FEEDBACK_BYTES));
  }

  /** The critic's prompt: the criteria, the work to judge, and exactly what to answer. */
  String prompt(CheckContext context) {
    String diff = context.diff().get();
    if (diff == null || diff.isBlank()) {
      diff = "(no diff is available for this workspace)";
    } else if (diff.length() > MAX_DIFF_CHARS) {
      diff =
          diff.substring(0, MAX_DIFF_CHARS)
              + "\n(the diff is cut here: it has "
              + diff.length()
              + " characters)";
    }
    String output =
        context.output() == null || context.output().isBlank() ? "(empty)" : context.output();
    return "You are reviewing the work another AI agent did for step '"
        + context.nodeId()
        + "' (attempt "
        + context.attempt()
        + ") of a workflow. Judge it against the criteria below. Do not change any files.\n\n"
        + "## Criteria\n\n"
        + criteria.strip()
        + "\n\n## The agent's final message\n\n"
        + output.strip()
        + "\n\n## Changes in the workspace since the step started (unified diff)\n\n"
        + diff.strip()
        + "\n\n## Your answer\n\n"
        + "End your answer with exactly one JSON object, and nothing after it:\n"
        + "{\"pass\": true, \"reason\": \"one or two sentences\"}\n"
        + "Answer \"pass\": false when any criterion is not met, and say in \"reason\" what"
        + " must change; the reason is given to the agent as feedback.\n";
  }

  private static String first(String s, int chars) {
    if (s.isEmpty()) {
      return "(an empty answer)";
    }
    return s.length() <= chars ? s : s.substring(0, chars) + "…";
  }
}
