package dev.orchestra.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.orchestra.architecture.ArchitectureTable.Allowed;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ARCHITECTURE.md's rules as ArchUnit rules, for the classes under {@code base} (the project's
 * {@link ArchitectureTable#BASE}, or a fixture's package that stands in for it, the table's package
 * names moved under it).
 */
final class ArchitectureRules {
  private final ArchitectureTable table;
  private final String base;

  ArchitectureRules(ArchitectureTable table, String base) {
    this.table = table;
    this.base = base;
  }

  /** Every rule of the document, in the order it states them. */
  List<ArchRule> all() {
    List<ArchRule> rules = new ArrayList<>();
    rules.add(everyClassIsInATable());
    rules.add(noPackageCycles());
    rules.add(coreDependsOnNoAdapter());
    rules.add(nothingDependsOnTheCli());
    rules.addAll(moduleRules());
    rules.addAll(corePackageRules());
    return rules;
  }

  ArchRule everyClassIsInATable() {
    return classes()
        .that()
        .resideInAPackage(base + "..")
        .should(
            new ArchCondition<JavaClass>("be in a package that ARCHITECTURE.md lists") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                if (moduleOf(c).isEmpty()) {
                  events.add(
                      SimpleConditionEvent.violated(
                          c,
                          c.getName()
                              + " is in package "
                              + c.getPackageName()
                              + ", which no table of ARCHITECTURE.md lists; add a row for it"));
                }
              }
            })
        .allowEmptyShould(true);
  }

  ArchRule noPackageCycles() {
    return slices()
        .matching(base + ".(**)")
        .should()
        .beFreeOfCycles()
        .because("ARCHITECTURE.md: no package cycles")
        .allowEmptyShould(true);
  }

  ArchRule coreDependsOnNoAdapter() {
    return noClasses()
        .that(inModule("core"))
        .should()
        .dependOnClassesThat(inAnyModuleBut("core"))
        .because("ARCHITECTURE.md: core depends on no adapter")
        .allowEmptyShould(true);
  }

  ArchRule nothingDependsOnTheCli() {
    return noClasses()
        .that(inAnyModuleBut("cli"))
        .should()
        .dependOnClassesThat(inModule("cli"))
        .because("ARCHITECTURE.md: nothing depends on the CLI")
        .allowEmptyShould(true);
  }

  /** One rule per row of the modules table. */
  List<ArchRule> moduleRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (Map.Entry<String, Allowed> row : table.modules().entrySet()) {
      String module = row.getKey();
      Set<String> modules = new LinkedHashSet<>(row.getValue().names());
      modules.add(module);
      rules.add(
          classes()
              .that(inModule(module))
              .should()
              .onlyDependOnClassesThat(
                  jdkOr(row.getValue().libraries())
                      .or(inModules(modules))
                      .as("are in " + modules + ", " + row.getValue().libraries() + " or the JDK"))
              .because(
                  "ARCHITECTURE.md's modules table: "
                      + module
                      + " may depend on modules "
                      + row.getValue().names()
                      + " and libraries "
                      + row.getValue().libraries())
              .allowEmptyShould(true));
    }
    return rules;
  }

  /** One rule per row of the packages table of core. */
  List<ArchRule> corePackageRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (Map.Entry<String, Allowed> row : table.corePackages().entrySet()) {
      String pkg = moved(row.getKey());
      Set<String> rows = new LinkedHashSet<>();
      rows.add(pkg);
      row.getValue().names().forEach(n -> rows.add(moved(n)));
      rules.add(
          classes()
              .that(inRow(Set.of(pkg)))
              .should()
              .onlyDependOnClassesThat(
                  jdkOr(row.getValue().libraries())
                      .or(inRow(rows))
                      .as("are in " + rows + ", " + row.getValue().libraries() + " or the JDK"))
              .because(
                  "ARCHITECTURE.md's packages of core: "
                      + row.getKey()
                      + " may depend on "
                      + row.getValue().names()
                      + " and libraries "
                      + row.getValue().libraries())
              .allowEmptyShould(true));
    }
    return rules;
  }

  /** The package name as the table has it, for a class under {@link #base}. */
  private String unmoved(String pkg) {
    return ArchitectureTable.BASE + pkg.substring(base.length());
  }

  private String moved(String tablePackage) {
    return base + tablePackage.substring(ArchitectureTable.BASE.length());
  }

  private Optional<String> moduleOf(JavaClass c) {
    String pkg = packageOf(c);
    if (!(pkg.equals(base) || pkg.startsWith(base + "."))) {
      return Optional.empty();
    }
    return table.moduleOf(unmoved(pkg));
  }

  private Optional<String> rowOf(JavaClass c) {
    String pkg = packageOf(c);
    if (!(pkg.equals(base) || pkg.startsWith(base + "."))) {
      return Optional.empty();
    }
    return table.rowOf(unmoved(pkg)).map(this::moved);
  }

  private static String packageOf(JavaClass c) {
    return c.isArray() ? c.getBaseComponentType().getPackageName() : c.getPackageName();
  }

  private DescribedPredicate<JavaClass> inModule(String module) {
    return inModules(Set.of(module));
  }

  private DescribedPredicate<JavaClass> inModules(Set<String> modules) {
    return DescribedPredicate.describe(
        "are in module " + modules, c -> moduleOf(c).map(modules::contains).orElse(false));
  }

  private DescribedPredicate<JavaClass> inAnyModuleBut(String module) {
    return DescribedPredicate.describe(
        "are in a module other than " + module,
        c -> moduleOf(c).map(m -> !m.equals(module)).orElse(false));
  }

  private DescribedPredicate<JavaClass> inRow(Set<String> rows) {
    return DescribedPredicate.describe(
        "are in package " + rows, c -> rowOf(c).map(rows::contains).orElse(false));
  }

  private static DescribedPredicate<JavaClass> jdkOr(Set<String> libraries) {
    PackageMatchers jdk = PackageMatchers.of(ArchitectureTable.JDK);
    PackageMatchers allowed = PackageMatchers.of(libraries);
    // A library inside a JDK-looking namespace (JNA is com.sun.jna) is a library all the same.
    PackageMatchers anyLibrary =
        PackageMatchers.of(
            ArchitectureTable.LIBRARIES.values().stream().flatMap(List::stream).toList());
    return DescribedPredicate.describe(
        "are in the JDK or " + libraries,
        c -> {
          JavaClass t = c.isArray() ? c.getBaseComponentType() : c;
          String pkg = t.getPackageName();
          return t.isPrimitive() || allowed.test(pkg) || (jdk.test(pkg) && !anyLibrary.test(pkg));
        });
  }
}
