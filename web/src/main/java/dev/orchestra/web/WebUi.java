package dev.orchestra.web;

import java.net.URL;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built web UI on the classpath: {@value #ROOT} holds {@code index.html} and {@code assets/}.
 * The UI routes with the URL's fragment ({@code #/runs/RUN/nodes/NODE}) and loads its assets by
 * relative URLs, so a server serves these files as they are, under any path prefix, without a
 * fallback route for UI paths.
 *
 * <p>Thread-safe: it only reads class-path resources.
 */
public final class WebUi {
  /** The class-path folder of the UI's files, ending in {@code /}. */
  public static final String ROOT = "dev/orchestra/web/static/";

  // Asset names Vite writes: letters, digits, '.', '-', '_' in at most a few folders; nothing that
  // could climb out of ROOT or name a hidden file.
  private static final Pattern SAFE_PATH =
      Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/){0,4}[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private WebUi() {}

  /**
   * The UI's file for a request path relative to where the UI is mounted: {@code ""} or {@code "/"}
   * is {@code index.html}; a leading {@code /} is ignored.
   *
   * @return the resource, or empty when there is none or the path is not a plain relative path
   *     (e.g. contains {@code ..}, a backslash or a hidden segment)
   */
  public static Optional<URL> resource(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.isEmpty()) {
      p = "index.html";
    }
    if (!SAFE_PATH.matcher(p).matches() || p.contains("..")) {
      return Optional.empty();
    }
    return Optional.ofNullable(WebUi.class.getClassLoader().getResource(ROOT + p));
  }
}
