package dev.orchestra.engine;

import static dev.orchestra.engine.EngineFixture.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rate-limited node holds back the other nodes of its agent while it waits, and gives up after
 * {@link AttemptLoop#MAX_RATE_LIMIT_WAITS} waits in a row.
 *
 * <p>Node {@code a} (claude) is rate limited on its first attempt. Node {@code gate} (a command)
 * blocks on a FIFO that the test opens when {@code a} reports the limit, so {@code b} (claude) and
 * {@code d} (command) become ready exactly while {@code a} waits.
 */
class RateLimitTest {
  private static final String WORKFLOW =
      """
      version: 1
      name: hold
      limits: {concurrency: 4}
      nodes:
        a: {agent: claude, prompt: p}
        gate: {agent: command, command: "read line < gate.fifo"}
        b: {agent: claude, needs: [gate], prompt: q}
        d: {agent: command, needs: [gate], command: "echo other agents go on"}
      """;

  @TempDir Path dir;
  EngineFixture f;

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static AgentResult limited(Duration retryAfter) {
    return new AgentResult(AgentOutcome.RATE_LIMITED, "", null, null, "HTTP 429", retryAfter);
  }

  /** {@code a}'s first attempt is limited for {@code retryAfter}; everything else completes. */
  private void engine(Duration retryAfter) throws Exception {
    f =
        new EngineFixture(
            dir,
            new ScriptedAgent(
                "claude",
                (node, attempt) ->
                    node.equals("a") && attempt == 1
                        ? limited(retryAfter)
                        : AgentResult.completed(node + " done", null, null)));
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("gate.fifo").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
  }

  /** Opens the gate when {@code a} is rate limited; counts down {@code dFinished} after d. */
  private RunHandle start(CountDownLatch dFinished) {
    return f.start(
        f.workflow("hold.yaml", WORKFLOW),
        RunOptions.defaults()
            .withListener(
                (RecordedEvent e) -> {
                  if (e.event() instanceof Event.NodeRateLimited r && r.node().equals("a")) {
                    // Off the delivery thread: opening a FIFO blocks until its reader is there.
                    CompletableFuture.runAsync(this::openGate);
                  }
                  if (e.event() instanceof Event.NodeFinished n && n.node().equals("d")) {
                    dFinished.countDown();
                  }
                }));
  }

  private void openGate() {
    try {
      Files.writeString(dir.resolve("gate.fifo"), "go\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void holdsBackTheAgentsOtherNodesWhileOneWaitsAndLetsOtherAgentsGoOn() throws Exception {
    engine(Duration.ofMinutes(10));
    CountDownLatch dFinished = new CountDownLatch(1);
    RunHandle run = start(dFinished);

    assertThat(dFinished.await(60, TimeUnit.SECONDS)).as("d finished").isTrue();
    run.cancel();
    RunResult result = run.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.nodes().get("d").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("b").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(result.nodes().get("b").attempts()).isZero();
    assertThat(f.indexOf(started("b"))).isEqualTo(-1);
    assertThat(result.nodes().get("a").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(f.events(Event.NodeRateLimited.class))
        .containsExactly(new Event.NodeRateLimited("a", 2, 600_000, "rate limited: HTTP 429"));
    assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void startsTheHeldNodesWhenTheWaitIsOver() throws Exception {
    engine(Duration.ofMillis(300));
    RunResult result = start(new CountDownLatch(1)).await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().get("a").attempts()).isEqualTo(2);
    assertThat(result.nodes().get("b").output()).isEqualTo("b done");
    int aRetried =
        f.indexOf(
            e -> e instanceof Event.NodeStarted s && s.node().equals("a") && s.attempt() == 2);
    assertThat(aRetried).isPositive();
    assertThat(f.indexOf(started("b"))).isGreaterThan(aRetried);
  }

  @Test
  void endsInErrorWhenStillRateLimitedAfterTenWaits() throws Exception {
    f =
        new EngineFixture(
            dir, new ScriptedAgent("claude", (node, attempt) -> limited(Duration.ofMillis(1))));
    RunResult result =
        f.run(
            f.workflow(
                "busy.yaml",
                """
                version: 1
                name: busy
                nodes:
                  a: {agent: claude, prompt: p, attempts: 2}
                  after: {agent: command, needs: [a], command: "true"}
                """));

    assertThat(result.nodes().get("a").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("a").reason())
        .isEqualTo(
            "still rate limited after 10 waits (rate limited: HTTP 429); try again later or lower"
                + " limits.agents for 'claude'");
    assertThat(f.events(Event.NodeRateLimited.class)).hasSize(AttemptLoop.MAX_RATE_LIMIT_WAITS);
    assertThat(f.events(Event.NodeRetrying.class)).isEmpty();
    assertThat(result.nodes().get("after").status()).isEqualTo(NodeStatus.SKIPPED);
  }
}
