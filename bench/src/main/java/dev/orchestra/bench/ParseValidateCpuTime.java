package dev.orchestra.bench;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parse + validate of a generated workflow measured in CPU time of the measuring thread, beside
 * wall time. On a machine shared with other builds the wall clock of {@link ParseValidateBenchmark}
 * mostly measures waiting for a core; the thread's CPU time is what the work itself costs. Usage:
 * {@code ParseValidateCpuTime [NODES] [ROUNDS]}.
 */
public final class ParseValidateCpuTime {
  private ParseValidateCpuTime() {}

  public static void main(String[] args) throws IOException {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path file = Files.createTempFile("orchestra-cpu-", ".yaml");
    try {
      Files.writeString(file, WorkflowGenerator.yaml(nodes, WorkflowGenerator.DEFAULT_SEED));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      WorkflowParser parser = WorkflowParser.create();
      long[] cpu = new long[rounds];
      long[] wall = new long[rounds];
      // Same number of warm-up rounds as measured ones, so C2 has compiled the hot paths.
      for (int i = -rounds; i < rounds; i++) {
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        List<Problem> problems = Workflows.check(parser.parse(file), ValidationOptions.defaults());
        long w1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        if (!problems.isEmpty()) {
          throw new IllegalStateException("generated workflow is invalid: " + problems.get(0));
        }
        if (i >= 0) {
          cpu[i] = c1 - c0;
          wall[i] = w1 - w0;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "parse+validate %d nodes, %d rounds after %d warm-up: cpu median %d ms (min %d),"
              + " wall median %d ms (min %d)%n",
          nodes,
          rounds,
          rounds,
          median(cpu),
          min(cpu),
          median(wall),
          min(wall));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1_000_000;
  }

  private static long min(long[] nanos) {
    return Arrays.stream(nanos).min().orElse(0) / 1_000_000;
  }
}
