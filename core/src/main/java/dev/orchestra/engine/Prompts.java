package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.ContextSource;
import dev.orchestra.workflow.ContextSource.FileContext;
import dev.orchestra.workflow.ContextSource.NodeContext;
import dev.orchestra.workflow.ContextSource.UrlContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Assembles a node's prompt (docs/workflow.md): the rendered {@code prompt} or {@code prompt_file},
 * then each {@code context} entry under a heading naming its source. Feedback after a failed
 * attempt is appended by the runner. Thread-safe.
 */
final class Prompts {
  /** The most a context URL may return; larger documents are an error, not silently cut. */
  static final int URL_CAP_BYTES = 1 << 20;

  private final java.util.function.Supplier<HttpClient> http;
  private final Duration urlTimeout;

  /** {@code http} is asked for the client only when a URL is fetched (it loads TLS state). */
  Prompts(java.util.function.Supplier<HttpClient> http, Duration urlTimeout) {
    this.http = http;
    this.urlTimeout = urlTimeout;
  }

  /**
   * The node's prompt before feedback.
   *
   * @throws OrchestraException naming the part that could not be read or rendered
   */
  String assemble(GraphNode n, Path workspace, String runId, Map<String, String> env) {
    String where = "node '" + n.id + "'";
    StringBuilder prompt = new StringBuilder();
    if (n.spec.prompt() != null) {
      prompt.append(n.scope.render(n.spec.prompt(), where + " prompt", runId, env));
    } else if (n.spec.promptFile() != null) {
      Path file = n.scope.dir.resolve(n.spec.promptFile());
      String text;
      try {
        text = n.scope.files.read(file);
      } catch (IOException e) {
        throw new OrchestraException(
            "cannot read prompt_file '"
                + n.spec.promptFile()
                + "' of "
                + where
                + " ("
                + file
                + "): "
                + e,
            e);
      }
      prompt.append(n.scope.render(text, where + " prompt_file", runId, env));
    }
    for (ContextSource c : n.spec.contextOrEmpty()) {
      if (c instanceof FileContext f) {
        String glob = n.scope.render(f.glob(), where + " context", runId, env);
        for (Path file : files(workspace, glob, where)) {
          section(prompt, "file " + workspace.relativize(file), read(file, where));
        }
      } else if (c instanceof NodeContext nc) {
        GraphNode up = n.scope.nodes.get(nc.node());
        if (up == null || up.output == null) {
          throw new OrchestraException(
              "context node '"
                  + nc.node()
                  + "' of "
                  + where
                  + " has no output; list it in"
                  + " 'needs' so that it runs first");
        }
        section(prompt, "output of node " + nc.node(), up.output);
      } else if (c instanceof UrlContext u) {
        String url = n.scope.render(u.url(), where + " context", runId, env);
        section(prompt, url, fetch(url, where));
      }
    }
    return prompt.toString();
  }

  private static void section(StringBuilder prompt, String source, String content) {
    if (prompt.length() > 0) {
      prompt.append("\n\n");
    }
    prompt.append("## Context: ").append(source).append("\n\n").append(content);
  }

  /** Files of the workspace matching {@code glob}, sorted; a glob matching nothing is an error. */
  static List<Path> files(Path workspace, String glob, String where) {
    List<Path> found = new ArrayList<>();
    if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[") && !glob.contains("{")) {
      Path file = workspace.resolve(glob).normalize();
      if (Files.isRegularFile(file)) {
        found.add(file);
      }
    } else {
      // Walk only below the glob's literal directory prefix, not the whole workspace.
      String literal = glob.substring(0, firstWildcard(glob));
      int slash = literal.lastIndexOf('/');
      Path start = slash < 0 ? workspace : workspace.resolve(literal.substring(0, slash));
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      if (Files.isDirectory(start)) {
        try (Stream<Path> walk = Files.walk(start)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> matcher.matches(workspace.relativize(p)))
              .sorted()
              .forEach(found::add);
        } catch (IOException e) {
          throw new OrchestraException("cannot search " + start + " for '" + glob + "': " + e, e);
        }
      }
    }
    if (found.isEmpty()) {
      throw new OrchestraException(
          "context file '" + glob + "' of " + where + " matches no file in " + workspace);
    }
    return found;
  }

  private static int firstWildcard(String glob) {
    int i = 0;
    while (i < glob.length() && "*?[{".indexOf(glob.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static String read(Path file, String where) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read context file " + file + " of " + where + ": " + e, e);
    }
  }

  private String fetch(String url, String where) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new OrchestraException("context url '" + url + "' of " + where + " is not a URL", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new OrchestraException(
          "context url '" + url + "' of " + where + " must start with http:// or https://");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(urlTimeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new OrchestraException(
              "context url '" + url + "' of " + where + " answered HTTP " + response.statusCode());
        }
        byte[] bytes = body.readNBytes(URL_CAP_BYTES + 1);
        if (bytes.length > URL_CAP_BYTES) {
          throw new OrchestraException(
              "context url '"
                  + url
                  + "' of "
                  + where
                  + " is larger than the 1 MiB limit; link a"
                  + " smaller document");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot fetch context url '" + url + "' of " + where + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestraException("interrupted while fetching context url '" + url + "'", e);
    }
  }
}
