package dev.orchestra.store.file;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.EventJson;
import dev.orchestra.workflow.validate.Workflows;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a workflow in its own JVM and prints each event as a JSON line, so that a test can kill this
 * process with {@code kill -9} in the middle of the run. Arguments: base directory, workflow, and a
 * run id to resume instead of starting one.
 */
public final class CrashableRun {
  private CrashableRun() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Engine engine =
        Engine.builder().store(FileRunStore.under(base)).baseDirectory(base).build()) {
      RunOptions options =
          RunOptions.defaults().withListener(e -> out.println(EventJson.encode(e)));
      RunHandle run =
          args.length > 2
              ? engine.resume(args[2], options)
              : engine.start(Workflows.load(Path.of(args[1]), Map.of()), options);
      run.await();
    }
  }
}
