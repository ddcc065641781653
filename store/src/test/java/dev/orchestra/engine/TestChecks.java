package dev.orchestra.engine;

import dev.orchestra.check.Check;
import dev.orchestra.check.CheckContext;
import dev.orchestra.check.CheckResult;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.workflow.CheckSpec;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The {@code exists} and {@code run} checks, small, for engine tests until the real {@code Checks}
 * land. {@code run} starts a real {@code sh -c} through the context's executor.
 */
final class TestChecks {
  private TestChecks() {}

  static Check from(CheckSpec spec) {
    return new Check() {
      @Override
      public String name() {
        return spec.name();
      }

      @Override
      public CheckResult run(CheckContext ctx) throws InterruptedException {
        if (spec instanceof CheckSpec.Exists e) {
          List<String> missing =
              e.globs().stream().filter(g -> !Files.exists(ctx.workspace().resolve(g))).toList();
          return new CheckResult(
              spec.name(),
              missing.isEmpty(),
              missing.isEmpty() ? "" : "no file matches " + missing);
        }
        CheckSpec.Run r = (CheckSpec.Run) spec;
        StringBuilder out = new StringBuilder();
        Execution ex =
            ctx.executor()
                .start(
                    new ProcessSpec(
                        List.of("sh", "-c", r.command()),
                        ctx.workspace(),
                        ctx.env(),
                        null,
                        Map.of()),
                    (stream, line) -> {
                      synchronized (out) {
                        out.append(line).append('\n');
                      }
                    });
        ExitStatus exit = ex.await();
        synchronized (out) {
          return new CheckResult(spec.name(), exit.succeeded(), out + "exit code " + exit.code());
        }
      }
    };
  }
}
