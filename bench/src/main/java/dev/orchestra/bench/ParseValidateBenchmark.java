package dev.orchestra.bench;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long reading a large workflow takes once the JVM is warm: parse a generated file of {@code
 * nodes} nodes and about three times as many edges ({@link WorkflowGenerator}), then validate it
 * (needs graph, cycles, templates, reachability). The file is read from disk in each invocation, as
 * {@code orchestra validate} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseValidateBenchmark {

  @Param("10000")
  public int nodes;

  private Path file;
  private WorkflowParser parser;

  @Setup(Level.Trial)
  public void writeWorkflow() throws IOException {
    file = Files.createTempFile("orchestra-bench-", ".yaml");
    Files.writeString(file, WorkflowGenerator.yaml(nodes, WorkflowGenerator.DEFAULT_SEED));
    parser = WorkflowParser.create();
    // Measuring a file with problems would measure the error path; refuse to.
    List<Problem> problems = parseAndValidate();
    if (!problems.isEmpty()) {
      throw new OrchestraException(
          "the generated workflow is invalid, first problem: " + problems.get(0));
    }
  }

  @TearDown(Level.Trial)
  public void deleteWorkflow() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Parse and validate, as {@code orchestra validate FILE} does after JVM start. */
  @Benchmark
  public List<Problem> parseAndValidate() {
    ParseResult parsed = parser.parse(file);
    return Workflows.check(parsed, ValidationOptions.defaults());
  }

  /** Parse only, to tell the two stages apart. */
  @Benchmark
  public ParseResult parse() {
    return parser.parse(file);
  }
}
