package dev.orchestra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orchestra.store.file.FileRunStore;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A workspace as a CI pipeline's stage has one: the {@code orchestra} command runs in child JVMs in
 * that directory (as {@code sh} runs it), with variables the test adds (a bound credential), so
 * that relative paths, the runs directory and the nodes' working directory are the workspace's.
 */
final class PipelineWorkspace {
  static final String PLAN_SCHEMA = "/dev/orchestra/plan/plan.schema.json";
  static final String RESULT_SCHEMA = "/dev/orchestra/plan/node-result.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LIMIT_SECONDS = 120;

  final Path dir;
  final Map<String, String> env = new HashMap<>();

  PipelineWorkspace(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code text} to {@code name} in the workspace and answers the path. */
  Path write(String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  FileRunStore store() {
    return FileRunStore.under(dir);
  }

  /** Starts {@code orchestra ARGS} in the workspace; the caller waits for it. */
  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp"));
    command.add(System.getProperty("java.class.path"));
    command.add(Orchestra.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove(RunsLocation.ENV);
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs {@code orchestra ARGS} to its end. */
  CliRun run(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    return finish(p, String.join(" ", args));
  }

  /** Waits for a started command and collects what it printed. */
  static CliRun finish(Process p, String what) throws IOException, InterruptedException {
    var err = new java.util.concurrent.CompletableFuture<String>();
    Thread errors =
        new Thread(
            () -> {
              try {
                err.complete(new String(p.getErrorStream().readAllBytes()));
              } catch (IOException e) {
                err.complete("(unreadable: " + e + ")");
              }
            });
    errors.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("orchestra " + what + " did not end in " + LIMIT_SECONDS + " s");
    }
    errors.join();
    return new CliRun(p.exitValue(), out, err.join());
  }

  /** {@code orchestra plan FILE --json ARGS}: the plan, after checking that it succeeded. */
  JsonNode plan(String file, String... more) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("plan", file, "--json"));
    args.addAll(List.of(more));
    CliRun r = run(args.toArray(String[]::new));
    if (r.exitCode() != 0) {
      throw new AssertionError("orchestra plan exited " + r.exitCode() + ": " + r.err());
    }
    return JSON.readTree(r.out());
  }

  /** {@code orchestra node exec --run RUN --node NODE --result FILE ARGS}. */
  CliRun exec(String run, String node, String... more) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "node", "exec", "--run", run, "--node", node, "--result", result(node).toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** Where {@link #exec} writes {@code node}'s result. */
  Path result(String node) {
    return dir.resolve("results").resolve(node + ".json");
  }

  /** The result {@link #exec} wrote for {@code node}. */
  JsonNode resultOf(String node) throws IOException {
    return JSON.readTree(result(node).toFile());
  }

  /** The messages of {@code schema} (a resource of core) about {@code document}, sorted. */
  static List<String> violations(String schema, JsonNode document) {
    try (InputStream in = PipelineWorkspace.class.getResourceAsStream(schema)) {
      JsonSchema s =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
      return s.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
