package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.trust.BoundedRead;
import dev.orchestra.trust.ReadLimits;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.UrlRule;
import dev.orchestra.trust.WorkspacePaths;
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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Assembles a node's prompt (docs/workflow.md): the rendered {@code prompt} or {@code prompt_file},
 * then each {@code context} entry under a heading naming its source. Feedback after a failed
 * attempt is appended by the runner. Every file it reads passes the path rule ({@link
 * WorkspacePaths}: inside the workspace, or the workflow's repository for {@code prompt_file}, a
 * regular file, within {@link ReadLimits} and the node's timeout), every URL the address rule
 * ({@link UrlRule}), redirects included. Thread-safe.
 */
final class Prompts {
  /** The most redirects a context URL may take. */
  static final int MAX_REDIRECTS = 5;

  private final java.util.function.Supplier<HttpClient> http;
  private final Duration urlTimeout;
  private final Set<String> allowedHosts;

  /**
   * {@code http} is asked for the client only when a URL is fetched (it loads TLS state); it must
   * not follow redirects itself, so that each one is checked before it is followed.
   *
   * @param allowedHosts hosts untrusted workflows may reach on any address ({@link UrlRule})
   */
  Prompts(
      java.util.function.Supplier<HttpClient> http, Duration urlTimeout, Set<String> allowedHosts) {
    this.http = http;
    this.urlTimeout = urlTimeout;
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /**
   * The node's prompt before feedback.
   *
   * @param workspace the rule for the node's workspace
   * @param repository the rule for files of the workflow's repository ({@code prompt_file})
   * @throws OrchestraException naming the part that could not be read or rendered
   */
  String assemble(
      GraphNode n,
      WorkspacePaths workspace,
      WorkspacePaths repository,
      String runId,
      Map<String, String> env) {
    String where = "node '" + n.id + "'";
    StringBuilder prompt = new StringBuilder();
    if (n.spec.prompt() != null) {
      prompt.append(n.scope.render(n.spec.prompt(), where + " prompt", runId, env));
    } else if (n.spec.promptFile() != null) {
      String what = "prompt_file '" + n.spec.promptFile() + "' of " + where;
      Path file = inside(repository.regularFile(n.scope.dir, n.spec.promptFile()), what);
      prompt.append(
          n.scope.render(
              read(repository, file, what, ReadLimits.PROMPT_FILE_BYTES),
              where + " prompt_file",
              runId,
              env));
    }
    for (ContextSource c : n.spec.contextOrEmpty()) {
      if (c instanceof FileContext f) {
        String glob = n.scope.render(f.glob(), where + " context", runId, env);
        for (Match file : files(workspace, glob, where)) {
          section(
              prompt,
              "file " + file.name(),
              read(
                  workspace,
                  file.path(),
                  "context file '" + file.name() + "' of " + where,
                  ReadLimits.CONTEXT_FILE_BYTES));
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
        section(prompt, url, fetch(url, where, workspace.trust()));
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

  /**
   * A file a context glob matched.
   *
   * @param name as the workspace names it (relative), for the section's heading
   * @param path where it is read: the path rule's answer, its links resolved
   */
  record Match(String name, Path path) {}

  /**
   * Files of the workspace matching {@code glob}, sorted, each a regular file inside it; a glob
   * matching nothing is an error, and so is a match that the path rule refuses (a symbolic link
   * leading out, say): it names the file and why.
   */
  static List<Match> files(WorkspacePaths workspace, String glob, String where) {
    String label = "context file '" + glob + "' of " + where;
    WorkspacePaths.refusedAsWritten(glob, workspace.trust(), "the workspace")
        .ifPresent(
            why -> {
              throw new OrchestraException(label + " " + why + "; " + Trust.HOW_TO_TRUST);
            });
    Path root = workspace.root();
    List<Match> found = new ArrayList<>();
    if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[") && !glob.contains("{")) {
      WorkspacePaths.Resolved r = workspace.regularFile(root, glob);
      if (r instanceof WorkspacePaths.Inside inside) {
        found.add(
            new Match(root.relativize(root.resolve(glob).normalize()).toString(), inside.path()));
      } else if (!(r instanceof WorkspacePaths.Refused refused
          && refused.reason().equals("does not exist"))) {
        inside(r, label);
      }
    } else {
      // Walk only below the glob's literal directory prefix, not the whole workspace.
      String literal = glob.substring(0, firstWildcard(glob));
      int slash = literal.lastIndexOf('/');
      Path start = slash < 0 ? root : root.resolve(literal.substring(0, slash));
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      if (Files.isDirectory(start)) {
        List<Path> matches;
        try (Stream<Path> walk = Files.walk(start)) {
          matches =
              walk.filter(Files::isRegularFile)
                  .filter(p -> matcher.matches(root.relativize(p)))
                  .sorted()
                  .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
          throw new OrchestraException("cannot search " + start + " for '" + glob + "': " + e, e);
        }
        for (Path match : matches) {
          String name = root.relativize(match).toString();
          found.add(
              new Match(
                  name,
                  inside(workspace.regularFile(match), "context file '" + name + "' of " + where)));
        }
      }
    }
    if (found.isEmpty()) {
      throw new OrchestraException(
          "context file '" + glob + "' of " + where + " matches no file in " + root);
    }
    return found;
  }

  /** The path {@code r} accepted, or an error saying why {@code what} was refused. */
  private static Path inside(WorkspacePaths.Resolved r, String what) {
    if (r instanceof WorkspacePaths.Refused refused) {
      throw new OrchestraException(what + " " + refused.reason());
    }
    return ((WorkspacePaths.Inside) r).path();
  }

  private static int firstWildcard(String glob) {
    int i = 0;
    while (i < glob.length() && "*?[{".indexOf(glob.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static String read(WorkspacePaths rule, Path file, String what, long cap) {
    try {
      return rule.readText(file, what, cap);
    } catch (IOException e) {
      throw new OrchestraException(e.getMessage(), e);
    }
  }

  private String fetch(String url, String where, Trust trust) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new OrchestraException("context url '" + url + "' of " + where + " is not a URL", e);
    }
    String label = "context url '" + url + "' of " + where;
    try {
      for (int hop = 0; ; hop++) {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new OrchestraException(
              label
                  + (hop == 0 ? "" : " was redirected to " + uri + ", which")
                  + " must start with http:// or https://");
        }
        Optional<String> refused = UrlRule.refused(uri, trust, allowedHosts);
        if (refused.isPresent()) {
          throw new OrchestraException(
              label
                  + (hop == 0 ? "" : " was redirected to " + uri + ", which")
                  + " "
                  + refused.get());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(urlTimeout).GET().build();
        HttpResponse<InputStream> response =
            http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          int status = response.statusCode();
          Optional<String> location = response.headers().firstValue("location");
          if (status / 100 == 3 && location.isPresent()) {
            if (hop >= MAX_REDIRECTS) {
              throw new OrchestraException(
                  label + " was redirected more than " + MAX_REDIRECTS + " times");
            }
            uri = uri.resolve(location.get());
            continue;
          }
          if (status / 100 != 2) {
            throw new OrchestraException(label + " answered HTTP " + status);
          }
          byte[] bytes = body.readNBytes((int) ReadLimits.CONTEXT_URL_BYTES + 1);
          if (bytes.length > ReadLimits.CONTEXT_URL_BYTES) {
            throw new OrchestraException(
                label
                    + " is larger than the "
                    + BoundedRead.size(ReadLimits.CONTEXT_URL_BYTES)
                    + " limit; link a smaller document");
          }
          return new String(bytes, StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot fetch " + label + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new OrchestraException(
          label + " was redirected to a bad address: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestraException("interrupted while fetching context url '" + url + "'", e);
    }
  }
}
