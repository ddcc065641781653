package dev.orchestra.cli.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven by playwright-core, as installed by {@code
 * bin/install-browser}: {@link #check} opens a page through {@code tools/browser/check-page.mjs}
 * and returns what the script saw (console, errors, requests, element counts, computed styles) as
 * JSON; {@link #run} runs any such script (the web UI's, in {@code web/src/test/browser/}).
 *
 * <p>{@link #find()} fails, never skips, when something is missing: CI installs all of it (bin/test
 * calls bin/install-browser), so a missing browser there is a broken build, not an optional test.
 */
public final class Chromium {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(180);

  private final Path executable;
  private final Path modules;

  private Chromium(Path executable, Path modules) {
    this.executable = executable;
    this.modules = modules;
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
    return new Chromium(executable, modules);
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  /** {@code relative} in the repository, found from the working directory upwards. */
  public static Path repositoryFile(String relative) {
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
    return run(repositoryFile("tools/browser/check-page.mjs"), spec, work, CHECK_TIMEOUT);
  }

  /**
   * Runs a Node script that drives this Chromium ({@code node SCRIPT SPEC.json}, with {@code
   * ORCHESTRA_BROWSER_MODULES} and {@code ORCHESTRA_CHROMIUM} set) and returns the JSON object it
   * printed on stdout.
   *
   * @param work a directory for the spec and the script's output ({@code SCRIPT.out}, {@code
   *     SCRIPT.err})
   * @throws AssertionError when the script exits other than 0 (with its stderr, which names the
   *     step that failed) or does not finish within {@code timeout}
   */
  public JsonNode run(Path script, ObjectNode spec, Path work, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    String name = script.getFileName().toString().replaceFirst("\\.mjs$", "");
    Path specFile = work.resolve(name + ".spec.json");
    Path out = work.resolve(name + ".out");
    Path err = work.resolve(name + ".err");
    JSON.writeValue(specFile.toFile(), spec);
    ProcessBuilder pb =
        new ProcessBuilder("node", script.toString(), specFile.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("ORCHESTRA_BROWSER_MODULES", modules.toString());
    pb.environment().put("ORCHESTRA_CHROMIUM", executable.toString());
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          script.getFileName()
              + " did not finish in "
              + timeout.toSeconds()
              + " s; stderr: "
              + Files.readString(err));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          script.getFileName() + " exited " + p.exitValue() + ": " + Files.readString(err));
    }
    return JSON.readTree(out.toFile());
  }

  /** A new, empty spec for {@link #check}. */
  public static ObjectNode spec() {
    return JSON.createObjectNode();
  }
}
