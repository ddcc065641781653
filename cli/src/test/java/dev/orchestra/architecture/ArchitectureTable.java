package dev.orchestra.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependency rules of {@code ARCHITECTURE.md}, read from its tables so that the document is the
 * rule: the modules table ("may depend on"), the packages of {@code core} ("may depend on (besides
 * the JDK)") and the other modules' packages (each naming its module in parentheses). In a "may
 * depend on" cell, names in backticks are modules or packages, "all of the above" is every package
 * of the rows above, and libraries are known by the names in {@link #LIBRARIES}.
 *
 * @param modules each module's allowed modules and libraries, by module name
 * @param corePackages each package of {@code core}'s allowed packages and libraries, by full name
 * @param packageModules the module each listed package belongs to, by full package name
 */
record ArchitectureTable(
    Map<String, Allowed> modules,
    Map<String, Allowed> corePackages,
    Map<String, String> packageModules) {

  /** The base package of the project; table rows name packages relative to it. */
  static final String BASE = "dev.orchestra";

  /** The libraries a cell may name, and the packages each one is. */
  static final Map<String, List<String>> LIBRARIES =
      Map.ofEntries(
          Map.entry("Jackson", List.of("com.fasterxml.jackson..")),
          Map.entry("SnakeYAML", List.of("org.yaml.snakeyaml..")),
          Map.entry("JGraphT", List.of("org.jgrapht..")),
          Map.entry("SLF4J", List.of("org.slf4j..")),
          Map.entry("JGit", List.of("org.eclipse.jgit..")),
          Map.entry("Apache MINA", List.of("org.apache.sshd..")),
          Map.entry("Bouncy Castle", List.of("org.bouncycastle..")),
          Map.entry("docker-java", List.of("com.github.dockerjava..")),
          Map.entry("JNA", List.of("com.sun.jna..")),
          Map.entry("picocli", List.of("picocli..")),
          Map.entry("JMH", List.of("org.openjdk.jmh..")),
          Map.entry("JUnit", List.of("org.junit..")),
          Map.entry("AssertJ", List.of("org.assertj..")),
          Map.entry("SQLite JDBC", List.of("org.sqlite..")),
          Map.entry("PostgreSQL JDBC", List.of("org.postgresql..")),
          Map.entry("Flyway", List.of("org.flywaydb..")),
          Map.entry("HikariCP", List.of("com.zaxxer.hikari..")),
          Map.entry(
              "Javalin",
              List.of("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "kotlin..")));

  /** What every class may use without a table naming it. */
  static final List<String> JDK =
      List.of("java..", "javax..", "jdk..", "sun..", "com.sun..", "org.w3c.dom..", "org.xml.sax..");

  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

  /**
   * What a module or package may depend on besides itself and the JDK.
   *
   * @param names modules (in the modules table) or full package names (in the packages table)
   * @param libraries package patterns of the libraries named, ArchUnit style ({@code org.slf4j..})
   */
  record Allowed(Set<String> names, Set<String> libraries) {}

  /** Reads the tables of {@code file}; throws naming the line of a row it cannot read. */
  static ArchitectureTable read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Map<String, Allowed> modules = new LinkedHashMap<>();
    Map<String, Allowed> packages = new LinkedHashMap<>();
    Map<String, String> packageModules = new LinkedHashMap<>();
    String table = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.startsWith("|")) {
        table = null;
        continue;
      }
      List<String> cells = cells(line);
      if (table == null) {
        table = String.join("|", cells);
        i++; // the |---| line under the header
        continue;
      }
      String where = file.getFileName() + ":" + (i + 1);
      if (table.startsWith("module|")) {
        String module = single(cells.get(0), where);
        modules.put(module, allowed(cells.get(2), false, List.of(), where));
      } else if (table.startsWith("package|role|may depend on")) {
        String pkg = full(single(cells.get(0), where));
        packages.put(pkg, allowed(cells.get(2), true, List.copyOf(packages.keySet()), where));
        packageModules.put(pkg, "core");
      } else if (table.equals("package|role")) {
        List<String> ticked = ticked(cells.get(0));
        if (ticked.size() != 2) {
          throw new IllegalStateException(
              where + ": write the package and its module as `dev.orchestra.x` (`module`)");
        }
        packageModules.put(full(ticked.get(0)), ticked.get(1));
      }
    }
    if (modules.isEmpty() || packages.isEmpty() || packageModules.size() == packages.size()) {
      throw new IllegalStateException(
          file + " lacks one of its tables: modules, packages of core, other modules' packages");
    }
    return new ArchitectureTable(modules, packages, packageModules);
  }

  /**
   * The listed package {@code pkg} falls under: the longest listed prefix, if any. The row of
   * {@link #BASE} itself holds only that package, not all of the project's.
   */
  Optional<String> rowOf(String pkg) {
    String best = null;
    for (String listed : packageModules.keySet()) {
      boolean under = pkg.equals(listed) || !listed.equals(BASE) && pkg.startsWith(listed + ".");
      if (under && (best == null || listed.length() > best.length())) {
        best = listed;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The module of a class in {@code pkg}, if a row lists its package. */
  Optional<String> moduleOf(String pkg) {
    return rowOf(pkg).map(packageModules::get);
  }

  private static Allowed allowed(
      String cell, boolean packageNames, List<String> above, String where) {
    Set<String> names = new LinkedHashSet<>();
    if (cell.contains("all of the above")) {
      names.addAll(above);
    }
    for (String name : ticked(cell)) {
      names.add(packageNames ? full(name) : name);
    }
    Set<String> libraries = new LinkedHashSet<>();
    LIBRARIES.forEach(
        (library, patterns) -> {
          if (cell.contains(library)) {
            libraries.addAll(patterns);
          }
        });
    String rest = TICKED.matcher(cell).replaceAll("");
    if (names.isEmpty() && libraries.isEmpty() && !rest.matches("[\\s—-]*|JDK")) {
      throw new IllegalStateException(
          where
              + ": cannot read '"
              + cell
              + "'; name packages in backticks and known libraries "
              + LIBRARIES.keySet()
              + ", or write —");
    }
    return new Allowed(names, libraries);
  }

  /** A package as the packages tables write it ({@code workflow.parse}) in full. */
  private static String full(String name) {
    return name.equals(BASE) || name.startsWith(BASE + ".") ? name : BASE + "." + name;
  }

  private static String single(String cell, String where) {
    List<String> ticked = ticked(cell);
    if (ticked.isEmpty()) {
      throw new IllegalStateException(where + ": the first cell names no `module` or `package`");
    }
    return ticked.get(0);
  }

  private static List<String> ticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> cells(String row) {
    String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
    List<String> out = new ArrayList<>();
    for (String cell : inner.split("\\|", -1)) {
      out.add(cell.strip());
    }
    return out;
  }
}
