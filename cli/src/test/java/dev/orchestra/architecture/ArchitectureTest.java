package dev.orchestra.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's dependency rules, checked over the main classes of every module on this
 * module's classpath ({@code cli} depends on all of them): no package cycles, {@code core} depends
 * on no adapter, nothing depends on the CLI, each module only on what its row of the modules table
 * allows, and each package of {@code core} only on what its row of the packages table allows. The
 * rules are read from the document's tables ({@link ArchitectureTable}), so changing what a module
 * may use means changing the document. A fixture that breaks each rule shows that they fail.
 */
class ArchitectureTest {
  private static final String FIXTURE = "dev.orchestra.architecture.fixture";

  private static ArchitectureTable table;

  @BeforeAll
  static void readTheDocument() throws IOException {
    table = ArchitectureTable.read(root().resolve("ARCHITECTURE.md"));
  }

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("ARCHITECTURE.md")) && Files.exists(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no ARCHITECTURE.md above " + Path.of("").toAbsolutePath());
  }

  @Test
  void everyModuleKeepsToTheDocumentedDependencies() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ArchitectureTest::notATestJar)
            .importPackages(ArchitectureTable.BASE);
    assertThat(main.stream().map(c -> table.moduleOf(c.getPackageName()).orElse("?")))
        .as("the modules whose classes were checked")
        .contains("core", "store", "agents", "git", "docker", "server", "cli");

    List<String> violations = new ArrayList<>();
    for (ArchRule rule : new ArchitectureRules(table, ArchitectureTable.BASE).all()) {
      EvaluationResult result = rule.evaluate(main);
      if (result.hasViolation()) {
        violations.add(result.getFailureReport().toString());
      }
    }
    if (!violations.isEmpty()) {
      fail(String.join("\n\n", violations));
    }
  }

  @Test
  void readsEveryRowOfTheTables() {
    assertThat(table.modules())
        .containsKeys("core", "store", "agents", "git", "docker", "runtime", "cli");
    assertThat(table.modules().get("core").names()).isEmpty();
    assertThat(table.modules().get("cli").names()).contains("core", "store", "runtime", "server");
    assertThat(table.modules().get("server").libraries()).contains("io.javalin..");
    assertThat(table.modules().get("runtime").names())
        .contains("core", "store", "agents", "git", "docker");
    assertThat(table.corePackages().get("dev.orchestra.workflow").names()).isEmpty();
    assertThat(table.corePackages().get("dev.orchestra.workflow.parse").libraries())
        .contains("com.fasterxml.jackson..", "org.yaml.snakeyaml..");
    assertThat(table.corePackages().get("dev.orchestra.engine").names())
        .contains("dev.orchestra.workflow", "dev.orchestra.exec", "dev.orchestra.store");
    assertThat(table.moduleOf("dev.orchestra.store")).hasValue("core");
    assertThat(table.moduleOf("dev.orchestra.store.file")).hasValue("store");
    assertThat(table.moduleOf("dev.orchestra.cli.run")).hasValue("cli");
    assertThat(table.moduleOf("dev.orchestra.unknown")).isEmpty();
  }

  /** The fixture's {@code workflow} uses {@code engine} and Jackson: two rows forbid that. */
  @Test
  void reportsAPackageOfCoreThatUsesWhatItsRowDoesNotAllow() {
    assertThatThrownBy(() -> check(rules().corePackageRules()))
        .hasMessageContaining("fixture.workflow.Spec")
        .hasMessageContaining("fixture.engine.Runner")
        .hasMessageContaining("com.fasterxml.jackson.databind.ObjectMapper")
        .hasMessageContaining("workflow may depend on [] and libraries []");
  }

  /** {@code workflow} and {@code engine} of the fixture use each other. */
  @Test
  void reportsAPackageCycle() {
    assertThatThrownBy(() -> rules().noPackageCycles().check(fixture()))
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("fixture.workflow")
        .hasMessageContaining("fixture.engine");
  }

  /** The fixture's {@code engine}, in core, uses its {@code git}, an adapter. */
  @Test
  void reportsCoreDependingOnAnAdapter() {
    assertThatThrownBy(() -> rules().coreDependsOnNoAdapter().check(fixture()))
        .hasMessageContaining("fixture.engine.Runner")
        .hasMessageContaining("fixture.git.GitRepo")
        .hasMessageContaining("core depends on no adapter");
    assertThatThrownBy(() -> check(rules().moduleRules()))
        .hasMessageContaining("core may depend on modules []");
  }

  /** The fixture's {@code git} uses its {@code cli}. */
  @Test
  void reportsAModuleDependingOnTheCli() {
    assertThatThrownBy(() -> rules().nothingDependsOnTheCli().check(fixture()))
        .hasMessageContaining("fixture.git.GitRepo")
        .hasMessageContaining("fixture.cli.Command")
        .hasMessageContaining("nothing depends on the CLI");
  }

  @Test
  void reportsAPackageTheTablesDoNotList() {
    assertThatThrownBy(() -> rules().everyClassIsInATable().check(fixture()))
        .hasMessageContaining("fixture.stray.Stray is in package")
        .hasMessageContaining("add a row for it");
  }

  @Test
  void theFixtureBreaksNothingElse() {
    // The cli fixture class depends only on the JDK: its rules hold, so a failure above is the
    // rule's doing, not the fixture's.
    rules().moduleRules().stream()
        .filter(r -> r.getDescription().contains("module [cli]"))
        .forEach(r -> r.check(fixture()));
  }

  private static ArchitectureRules rules() {
    return new ArchitectureRules(table, FIXTURE);
  }

  private static JavaClasses fixture() {
    return new ClassFileImporter().importPackages(FIXTURE);
  }

  private static void check(Iterable<ArchRule> rules) {
    JavaClasses classes = fixture();
    for (ArchRule rule : rules) {
      rule.check(classes);
    }
  }

  /** The agents test-jar (the scripted model server) is test code too. */
  private static boolean notATestJar(Location location) {
    return !location.contains("-tests.jar") && !location.contains("/test-classes/");
  }
}
