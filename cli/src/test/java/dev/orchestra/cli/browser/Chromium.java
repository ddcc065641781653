package dev.orchestra.cli.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven by playwright-core through {@code
 * tools/browser/check-page.mjs}, as installed by {@code bin/install-browser}: opens a page and
 * returns what the script saw (console, errors, requests, element counts, computed styles) as JSON.
 *
 * <p>{@link #find()} fails, never skips, when something is missing: CI installs all of it (bin/test
 * calls bin/install-browser), so a missing browser there is a broken build, not an optional test.
 */
public final class Chromium {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 180;

  private final Path executable;
  private final Path modules;
  private final Path script;

  private Chromium(Path executable, Path modules, Path script) {
    this.executable = executable;
    this.modules = modules;
    this.script = script;
  }

  /**
   * The browser from {@code ORCHESTRA_CHROMIUM} (default {@code /usr/bin/chromium}) and
   * playwright-core from {@code ORCHESTRA_BROWSER_MODULES} (default the link {@code
   * bin/install-browser} keeps in its cache).
   *
   * @throws AssertionError naming what is missing and the command that installs it
   */
  public static Chromium find() {
    String fix = "run bin/install-browser (bin/test does)";
    Path executable = Path.of(env("ORCHESTRA_CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      throw new AssertionError(
          "no Chromium at " + executable + ": " + fix + ", or set ORCHESTRA_CHROMIUM to one");
    }
    String cache =
        env(
            "ORCHESTRA_CACHE",
            Path.of(System.getProperty("user.home"), ".cache/orchestra").toString());
    Path modules =
        Path.of(
            env("ORCHESTRA_BROWSER_MODULES", Path.of(cache, "browser/node_modules").toString()));
    if (!Files.isRegularFile(modules.resolve("playwright-core/package.json"))) {
      throw new AssertionError("no playwright-core in " + modules + ": " + fix);
    }
    return new Chromium(executable, modules, repositoryFile("tools/browser/check-page.mjs"));
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  /** {@code relative} in the repository, found from the working directory upwards. */
  static Path repositoryFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new AssertionError("no " + relative + " above " + Path.of("").toAbsolutePath());
  }

  /**
   * Runs {@code check-page.mjs} with {@code spec} (see the script for its keys) and returns its
   * result.
   *
   * @param work a directory for the spec and the script's output
   */
  public JsonNode check(ObjectNode spec, Path work) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path specFile = work.resolve("spec.json");
    Path out = work.resolve("check-page.out");
    Path err = work.resolve("check-page.err");
    JSON.writeValue(specFile.toFile(), spec);
    ProcessBuilder pb =
        new ProcessBuilder("node", script.toString(), specFile.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("ORCHESTRA_BROWSER_MODULES", modules.toString());
    pb.environment().put("ORCHESTRA_CHROMIUM", executable.toString());
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "check-page.mjs did not finish in "
              + TIMEOUT_SECONDS
              + " s; stderr: "
              + Files.readString(err));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "check-page.mjs exited " + p.exitValue() + ": " + Files.readString(err));
    }
    return JSON.readTree(out.toFile());
  }

  /** A new, empty spec for {@link #check}. */
  public static ObjectNode spec() {
    return JSON.createObjectNode();
  }
}
