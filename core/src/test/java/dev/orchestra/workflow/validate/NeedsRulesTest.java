package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeedsRulesTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void rejectsUnknownNeedsTargetWithDidYouMean() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan it.
          build:
            needs: [plan, tset]
            prompt: Build it.
          test:
            prompt: Test it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:19: error: node 'build' needs 'tset', which is not a node of this"
                + " workflow; did you mean 'test'?");
  }

  @Test
  void rejectsUnknownNeedsTargetWithoutCloseName() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          build:
            needs:
              - deploy
            prompt: Build it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:9: error: node 'build' needs 'deploy', which is not a node of this"
                + " workflow; remove it or define a node 'deploy'");
  }

  @Test
  void rejectsNodeThatNeedsItself() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          build:
            needs: [build]
            prompt: Build it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:13: error: node 'build' needs itself; remove 'build' from its needs");
  }

  @Test
  void rejectsCycleBetweenTwoNodes() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a:
            needs: [b]
            prompt: A.
          b:
            needs: [a]
            prompt: B.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:13: error: needs form a cycle: a -> b -> a (each node needs the one"
                + " before it); remove one of these needs");
  }

  @Test
  void printsLongerCycleAsItsPathInExecutionOrder() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          start:
            prompt: S.
          a:
            needs: [start, c]
            prompt: A.
          b:
            needs: [a]
            prompt: B.
          c:
            needs: [b]
            prompt: C.
          after:
            needs: [c]
            prompt: After.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:20: error: needs form a cycle: a -> b -> c -> a (each node needs the one"
                + " before it); remove one of these needs");
  }

  @Test
  void reportsEachSeparateCycleOnce() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a: {needs: [b], prompt: A}
          b: {needs: [a], prompt: B}
          x: {needs: [z], prompt: X}
          y: {needs: [x], prompt: Y}
          z: {needs: [y], prompt: Z}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:15: error: needs form a cycle: a -> b -> a (each node needs the one"
                + " before it); remove one of these needs",
            "flow.yaml:5:15: error: needs form a cycle: x -> y -> z -> x (each node needs the one"
                + " before it); remove one of these needs");
  }

  @Test
  void reportsCyclesThatShareANodeSeparately() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a: {needs: [b], prompt: A}
          b: {needs: [a, c], prompt: B}
          c: {needs: [b], prompt: C}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:15: error: needs form a cycle: a -> b -> a (each node needs the one"
                + " before it); remove one of these needs",
            "flow.yaml:4:18: error: needs form a cycle: b -> c -> b (each node needs the one"
                + " before it); remove one of these needs");
  }
}
