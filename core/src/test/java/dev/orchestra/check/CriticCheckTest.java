package dev.orchestra.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.LocalExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The critic check's own logic, with an in-test {@link AgentCall} standing in for the engine (the
 * engine's tests run it with a real agent process).
 */
class CriticCheckTest {
  @TempDir Path workspace;
  final List<String> asked = new ArrayList<>();

  private CheckContext context(String output, String diff, AgentCall.Reply reply) {
    AgentCall call =
        (agent, model, prompt) -> {
          asked.add(agent + "|" + model + "|" + prompt);
          return reply;
        };
    return new CheckContext(
        "run-1", "build", 2, workspace, output, new LocalExecutor(), Map.of(), () -> diff, call);
  }

  @Test
  void showsTheCriticTheCriteriaOutputAndDiffAndSaysWhatToAnswer() throws Exception {
    Check critic = Checks.critic("codex", "No TODO is left.", "gpt-5");

    CheckResult r =
        critic.run(
            context(
                "Implemented the parser.",
                "--- a/P.java\n+++ b/P.java\n+// TODO",
                AgentCall.Reply.answered("{\"pass\": false, \"reason\": \"a TODO is left\"}")));

    assertThat(r).isEqualTo(new CheckResult("critic (codex)", false, "a TODO is left"));
    assertThat(asked).hasSize(1);
    String prompt = asked.get(0);
    assertThat(prompt).startsWith("codex|gpt-5|");
    assertThat(prompt)
        .contains(
            "step 'build' (attempt 2)",
            "## Criteria\n\nNo TODO is left.",
            "## The agent's final message\n\nImplemented the parser.",
            "+// TODO",
            "{\"pass\": true, \"reason\": \"one or two sentences\"}");
  }

  @Test
  void saysWhenNoDiffIsAvailable() throws Exception {
    Checks.critic(null, "c", null)
        .run(context("", "", AgentCall.Reply.answered("{\"pass\": true}")));

    assertThat(asked.get(0))
        .startsWith("null|null|")
        .contains("(no diff is available for this workspace)", "final message\n\n(empty)");
  }

  @Test
  void aPassWithoutReasonPassesWithEmptyOutput() throws Exception {
    CheckResult r =
        Checks.critic(null, "c", null)
            .run(context("o", "", AgentCall.Reply.answered("LGTM {\"pass\": true}")));

    assertThat(r).isEqualTo(new CheckResult("critic", true, ""));
  }

  @Test
  void aFailWithoutReasonSaysSo() throws Exception {
    CheckResult r =
        Checks.critic(null, "c", null)
            .run(context("o", "", AgentCall.Reply.answered("{\"pass\": false}")));

    assertThat(r).isEqualTo(new CheckResult("critic", false, "the critic gave no reason"));
  }

  @Test
  void quotesTheFirst300CharactersOfAnAnswerWithoutVerdict() throws Exception {
    String answer = "x".repeat(400);

    CheckResult r =
        Checks.critic(null, "c", null).run(context("o", "", AgentCall.Reply.answered(answer)));

    assertThat(r.passed()).isFalse();
    assertThat(r.output())
        .isEqualTo("the critic's answer has no verdict {\"pass\": …}: " + "x".repeat(300) + "…");
  }

  @Test
  void anAgentFailureFailsTheCheckWithItsReason() throws Exception {
    CheckResult r =
        Checks.critic(null, "c", null)
            .run(context("o", "", AgentCall.Reply.failed("HTTP 401: set ANTHROPIC_API_KEY")));

    assertThat(r)
        .isEqualTo(
            new CheckResult(
                "critic",
                false,
                "the critic agent did not answer: HTTP 401: set ANTHROPIC_API_KEY"));
  }

  @Test
  void cutsAHugeDiffAndSaysHowLongItWas() throws Exception {
    String diff = "+" + "y".repeat(CriticCheck.MAX_DIFF_CHARS + 10);

    Checks.critic(null, "c", null)
        .run(context("o", diff, AgentCall.Reply.answered("{\"pass\": true}")));

    assertThat(asked.get(0))
        .contains("(the diff is cut here: it has " + diff.length() + " characters)")
        .hasSizeLessThan(CriticCheck.MAX_DIFF_CHARS + 2_000);
  }
}
