package dev.orchestra.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built web UI on the classpath: {@value #ROOT} holds {@code index.html} and {@code assets/}.
 * The UI routes with the URL's fragment ({@code #/runs/RUN/nodes/NODE}) and loads its assets by
 * relative URLs, so a server serves these files under any path prefix, without a fallback route for
 * UI paths: the assets as they are, with {@link #CONTENT_SECURITY_POLICY}, and the index page as
 * {@link #index()} writes it for each response, with its own policy.
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

  /**
   * The Content-Security-Policy of the UI's files: everything from the server's own origin only,
   * images also as {@code data:} URLs, never inside another site's frame.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

  /** The {@code name} of the index page's meta element that holds its style nonce. */
  public static final String STYLE_NONCE_META = "orchestra-style-nonce";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebUi() {}

  /**
   * The index page for one response and the Content-Security-Policy to send it with. The YAML
   * editor (CodeMirror) adds its styles as {@code <style>} elements, which {@link
   * #CONTENT_SECURITY_POLICY} alone refuses: each page gets a fresh random nonce, in the policy's
   * {@code style-src} and in a {@code <meta name="orchestra-style-nonce">} element the UI reads and
   * puts on those elements. Scripts stay {@code 'self'} only.
   *
   * @param html the page, with the nonce's meta element first in its head
   * @param contentSecurityPolicy the policy to send in the {@code Content-Security-Policy} header
   */
  public record Page(String html, String contentSecurityPolicy) {}

  /**
   * {@code index.html} with a new style nonce.
   *
   * @throws IllegalStateException when the class path holds no built UI (the web module was built
   *     without {@code npm run build})
   */
  public static Page index() {
    URL url =
        resource("index.html")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no " + ROOT + "index.html on the class path: build the web module"));
    String html;
    try (InputStream in = url.openStream()) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url + ": " + e.getMessage(), e);
    }
    int head = html.indexOf("<head>");
    if (head < 0) {
      throw new IllegalStateException(url + " has no <head>: it is not the UI's built page");
    }
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String nonce = Base64.getEncoder().encodeToString(bytes);
    int at = head + "<head>".length();
    String meta = "\n    <meta name=\"" + STYLE_NONCE_META + "\" content=\"" + nonce + "\" />";
    return new Page(
        html.substring(0, at) + meta + html.substring(at),
        CONTENT_SECURITY_POLICY.replace(
            "default-src 'self';", "default-src 'self'; style-src 'self' 'nonce-" + nonce + "';"));
  }

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
