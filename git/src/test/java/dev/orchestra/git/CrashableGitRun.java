package dev.orchestra.git;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.EventJson;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.validate.Workflows;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a workflow with git workspaces in its own JVM and prints each event as a JSON line, so that
 * a test can {@code kill -9} it mid-run. Arguments: the user's clone (base directory), the runs
 * directory, the workflow.
 */
public final class CrashableGitRun {
  private CrashableGitRun() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    FileRunStore store = FileRunStore.at(Path.of(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Engine engine =
        Engine.builder()
            .store(store)
            .baseDirectory(base)
            .workspaces(new GitWorkspaces(base, store::runDirectory, Credentials.from(Map.of())))
            .build()) {
      RunHandle run =
          engine.start(
              Workflows.load(Path.of(args[2]), Map.of()),
              RunOptions.defaults().withListener(e -> out.println(EventJson.encode(e))));
      run.await();
    }
  }
}
