package dev.orchestra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code orchestra --version} from {@code version.properties}, which the build fills with
 * the project version and the git commit it was built from.
 */
public final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    Properties props = load();
    String version = props.getProperty("version", "unknown");
    String commit = props.getProperty("commit", "").strip();
    // An unfiltered resource (running from an IDE without Maven) still holds the placeholders.
    if (version.startsWith("${")) {
      version = "development build";
    }
    String build = commit.isEmpty() || commit.startsWith("${") ? "" : " (commit " + commit + ")";
    return new String[] {
      "orchestra " + version + build,
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  private static Properties load() {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
    }
    return props;
  }
}
