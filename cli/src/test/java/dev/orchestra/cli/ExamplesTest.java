package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every workflow shipped in {@code examples/} must stay valid: users copy them first. */
class ExamplesTest {

  /** The repository's {@code examples/} directory, found from the module directory upwards. */
  static Path examplesDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("mvnw"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
  }

  @Test
  void everyExampleWorkflowValidates() throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(examplesDir())) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
              .map(Path::toString)
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);

    CliRun run =
        CliRun.of(Stream.concat(Stream.of("validate"), files.stream()).toArray(String[]::new));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("quickstart.yaml: ok (4 nodes)")
        .contains("add-feature.yaml: ok");
  }

  @Test
  void addFeatureNeedsItsRequiredTaskInput() {
    String file = examplesDir().resolve("add-feature.yaml").toString();

    CliRun given = CliRun.of("validate", file, "-i", "task=Add a health endpoint");

    assertThat(given.exitCode()).isZero();
  }

  @Test
  void addFeatureWithoutItsRequiredTaskInputIsInvalid() {
    String file = examplesDir().resolve("add-feature.yaml").toString();

    CliRun run = CliRun.of("validate", file, "-i", "base=dev");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(file + ":14:3: error: required input 'task' was not given");
  }
}
