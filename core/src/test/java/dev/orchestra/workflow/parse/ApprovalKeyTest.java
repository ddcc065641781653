package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.workflow.Approval;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalKeyTest {

  @Test
  void readsTheMessageAndTheApprovers() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              deploy:
                prompt: p
                approval:
                  message: "Deploy {{ run.id }}?"
                  approvers: [alice, release-team]
            """);
    assertThat(problems(r)).isEmpty();
    Approval a = r.workflow().nodes().get("deploy").approval();
    assertThat(a).isEqualTo(new Approval("Deploy {{ run.id }}?", List.of("alice", "release-team")));
    assertThat(a.allows("alice")).isTrue();
    assertThat(a.allows("mallory")).isFalse();
  }

  @Test
  void anEmptyGateAsksTheDefaultQuestionOfAnyone() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, approval: {}}\n");
    assertThat(problems(r)).isEmpty();
    Approval a = r.workflow().nodes().get("a").approval();
    assertThat(a.messageOrDefault()).isEqualTo(Approval.DEFAULT_MESSAGE);
    assertThat(a.allows("anyone")).isTrue();
  }

  @Test
  void aSingleApproverNeedsNoList() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, approval: {approvers: bob}}\n");
    assertThat(problems(r)).isEmpty();
    assertThat(r.workflow().nodes().get("a").approval().approvers()).containsExactly("bob");
  }

  @Test
  void defaultsGateEveryNodeThatSetsNoGateOfItsOwn() {
    ParseResult r =
        yaml(
            """
            version: 1
            defaults: {approval: {message: "step?"}}
            nodes:
              a: {prompt: p}
              b: {prompt: q, approval: {message: "mine?"}}
            """);
    assertThat(problems(r)).isEmpty();
    assertThat(r.workflow().effectiveNode("a").approval().message()).isEqualTo("step?");
    assertThat(r.workflow().effectiveNode("b").approval().message()).isEqualTo("mine?");
  }

  @Test
  void suggestsTheKeyAMisspelledGatePartMeant() {
    ParseResult r =
        yaml("version: 1\nnodes:\n  a:\n    prompt: p\n    approval: {mesage: \"go?\"}\n");
    assertOnlyProblem(
        r, 5, 16, "unknown key 'mesage' in approval of node 'a'; did you mean 'message'?");
  }

  @Test
  void suggestsApprovalForAMisspelledKey() {
    ParseResult r = yaml("version: 1\nnodes:\n  a:\n    prompt: p\n    aproval: {}\n");
    assertThat(problems(r))
        .containsExactly("5:5 unknown key 'aproval' in node 'a'; did you mean 'approval'?");
  }

  @Test
  void refusesAGateThatIsNotAMapping() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, approval: true}\n");
    assertOnlyProblem(r, 3, 28, "'approval' must be a mapping {message, approvers}, was true");
  }

  @Test
  void reportsEachBadApproverAtItsPlaceAndKeepsTheGoodOnes() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                approval:
                  message: ""
                  approvers: [alice, "bob, carol", alice, 7, ""]
            """);
    assertThat(problems(r))
        .containsExactly(
            "6:16 approval 'message' must not be empty",
            "7:26 approver 'bob, carol' contains a comma; write one name per entry; approvers:"
                + " [bob, carol]",
            "7:40 approver 'alice' is listed twice; remove one",
            "7:47 approval 'approvers' entries must be a string, was 7; quote it: \"7\"",
            "7:50 an approver must not be empty");
    assertThat(r.workflow().nodes().get("a").approval().approvers()).containsExactly("alice");
  }

  @Test
  void theValueTypeRefusesWhatTheFormatForbids() {
    assertThatThrownBy(() -> new Approval(null, List.of("a,b")))
        .hasMessage("an approver must be one non-blank name without commas, was 'a,b'");
    assertThatThrownBy(() -> new Approval(null, List.of("a", "a")))
        .hasMessage("approver 'a' is listed twice");
  }
}
