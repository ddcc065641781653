package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Triggers;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnKeyTest {

  @Test
  void readsPullRequestBranchesAndPathsAndTheCommentCommand() {
    ParseResult r =
        yaml(
            """
            version: 1
            on:
              pull_request:
                branches: [main, "release/*"]
                paths: "src/**"
              comment: {command: review}
            nodes:
              a: {prompt: p}
            """);
    assertThat(problems(r)).isEmpty();
    Triggers on = r.workflow().on();
    assertThat(on.pullRequest())
        .isEqualTo(new Triggers.PullRequest(List.of("main", "release/*"), List.of("src/**")));
    assertThat(on.comment()).isEqualTo(new Triggers.Comment("review"));
  }

  @Test
  void anEmptyPullRequestTriggerRunsForEveryPullRequest() {
    ParseResult r = yaml("version: 1\non:\n  pull_request:\nnodes:\n  a: {prompt: p}\n");
    assertThat(problems(r)).isEmpty();
    assertThat(r.workflow().on().pullRequest()).isEqualTo(new Triggers.PullRequest(null, null));
    assertThat(r.workflow().on().comment()).isNull();
  }

  @Test
  void aWorkflowWithoutOnHasNoTriggers() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p}\n");
    assertThat(r.workflow().on()).isEqualTo(Triggers.NONE);
  }

  @Test
  void unknownKeysAndBadCommandsAreProblemsWithTheirLine() {
    ParseResult r =
        yaml(
            """
            version: 1
            on:
              push: {}
              comment: {command: "Run It"}
            nodes:
              a: {prompt: p}
            """);
    assertThat(problems(r))
        .anySatisfy(p -> assertThat(p).startsWith("3:3 ").contains("push"))
        .anySatisfy(p -> assertThat(p).startsWith("4:").contains("'command' must match"));
  }

  @Test
  void aCommentTriggerNeedsItsCommand() {
    ParseResult r = yaml("version: 1\non: {comment: {}}\nnodes:\n  a: {prompt: p}\n");
    assertThat(problems(r)).anySatisfy(p -> assertThat(p).contains("needs 'command'"));
  }
}
