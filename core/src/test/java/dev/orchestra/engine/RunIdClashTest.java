package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two starts in one second may draw the same run id; the one whose create finds the id taken draws
 * another instead of failing (a server's concurrent submissions did fail so).
 */
class RunIdClashTest {
  @TempDir Path dir;

  @Test
  void aStartWhoseIdIsTakenBetweenTheLookAndTheCreateDrawsAnother() throws Exception {
    Path file = dir.resolve("hello.yaml");
    Files.writeString(
        file,
        "version: 1\nname: hello\nnodes:\n  hi:\n    agent: command\n    command: [echo, hi]\n");
    Workflow workflow = Workflows.load(file, (Map<String, String>) null);
    RacedStore raced = new RacedStore(MemoryRunStore.withScratch(dir.resolve(".orchestra")));
    Engine engine =
        Engine.builder()
            .store(raced.store)
            .baseDirectory(dir)
            .random(new Random(7))
            .scratch(dir.resolve(".scratch"))
            .build();

    RunHandle run = engine.start(workflow, RunOptions.defaults());
    RunResult result = run.await(Duration.ofSeconds(60)).orElseThrow();

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(raced.taken).isNotNull().isNotEqualTo(run.runId());
    assertThat(raced.store.list()).extracting(RunSummary::id).contains(raced.taken, run.runId());
  }

  /** A store that creates the first run asked for itself just before, as another start would. */
  private static final class RacedStore {
    final RunStore store;
    String taken;

    RacedStore(RunStore delegate) {
      this.store =
          (RunStore)
              Proxy.newProxyInstance(
                  RunStore.class.getClassLoader(),
                  new Class<?>[] {RunStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("create")) {
                      race(delegate, (RunInfo) args[0]);
                    }
                    try {
                      return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
    }

    private synchronized void race(RunStore delegate, RunInfo info) {
      if (taken == null) {
        taken = info.id();
        delegate.create(info).close();
      }
    }
  }
}
