package dev.orchestra.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.testing.GitHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jgit.api.Git;

/**
 * A private GitHub repository for the webhook tests beyond {@link GitHubWebhookTest}: {@code
 * octo/app} served over smart HTTP behind Basic auth ({@link GitHttpServer}, with GitHub's {@code
 * refs/pull/N/head}), one {@code check} workflow on {@code main}, signed deliveries shaped like
 * GitHub's documented examples, and a copy of everything the server logs meanwhile.
 */
final class PrivateRepo implements AutoCloseable {
  static final String SECRET = "private-hook-secret";
  static final String CHECK =
      "version: 1\n"
          + "name: check\n"
          + "on:\n"
          + "  pull_request: {branches: [main]}\n"
          + "nodes:\n"
          + "  test:\n"
          + "    agent: command\n"
          + "    command: [sh, -c, 'test -f feature.txt && echo has-feature']\n";

  final Path work;
  final Git git;
  final GitHttpServer server;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream stderr = System.err;

  /** Serves {@code dir/served/app.git} to {@code user} with {@code password}. */
  PrivateRepo(Path dir, String user, String password) throws Exception {
    work = dir.resolve("work");
    Path gitDir = dir.resolve("served/app.git");
    git =
        Git.init()
            .setDirectory(work.toFile())
            .setGitDir(gitDir.toFile())
            .setInitialBranch("main")
            .call();
    Files.createDirectories(work.resolve(".orchestra"));
    Files.writeString(work.resolve(".orchestra/check.yaml"), CHECK);
    git.add().addFilepattern(".").call();
    commit("base");
    server = GitHttpServer.start(dir.resolve("served"), user, password);
    // slf4j-simple writes to whatever System.err is at each line: a tee keeps a copy to search.
    System.setErr(
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                log.write(b);
                stderr.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                log.write(b, off, len);
                stderr.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8));
  }

  String cloneUrl() {
    return server.url("app").toString();
  }

  private String commit(String message) throws Exception {
    return git.commit()
        .setMessage(message)
        .setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com")
        .call()
        .name();
  }

  /** A commit off main adding feature.txt, published as {@code refs/pull/N/head}. */
  String pushHead(int number) throws Exception {
    git.checkout()
        .setCreateBranch(true)
        .setName("pr-" + number + "-" + UUID.randomUUID())
        .setStartPoint("main")
        .call();
    Files.writeString(work.resolve("feature.txt"), "feature " + number + "\n");
    git.add().addFilepattern("feature.txt").call();
    String sha = commit("feature " + number);
    GitHubFixture.publishHead(git, number, sha);
    git.checkout().setName("main").call();
    return sha;
  }

  /** An {@code opened} pull_request payload by {@code alice}, from a branch of the repository. */
  static ObjectNode opened(int number, String sha, long installation) {
    ObjectNode p = TestServer.JSON.createObjectNode();
    p.put("action", "opened");
    p.put("number", number);
    ObjectNode pr = p.putObject("pull_request");
    pr.put("number", number);
    pr.put("state", "open");
    pr.putObject("user").put("login", "alice");
    ObjectNode head = pr.putObject("head");
    head.put("ref", "feature");
    head.put("sha", sha);
    head.putObject("repo").put("full_name", "octo/app");
    ObjectNode b = pr.putObject("base");
    b.put("ref", "main");
    b.putObject("repo").put("full_name", "octo/app");
    ObjectNode r = p.putObject("repository");
    r.put("full_name", "octo/app");
    r.put("private", true);
    r.put("clone_url", "https://github.com/octo/app.git");
    r.putObject("owner").put("login", "octo");
    p.putObject("sender").put("login", "alice");
    if (installation > 0) {
      p.putObject("installation").put("id", installation);
    }
    return p;
  }

  /** Delivers {@code payload} as event {@code event}, signed with {@link #SECRET}. */
  static TestServer.Reply deliver(TestServer t, String event, JsonNode payload, String id) {
    return GitHubFixture.deliver(t, event, payload, id, SECRET);
  }

  /** The decision on delivery {@code id}, once taken. */
  static JsonNode decided(TestServer t, String id) {
    return TestServer.await(
        "delivery " + id + " decided",
        () -> {
          for (JsonNode d : t.get("/api/v1/deliveries", Scope.READ).json().path("deliveries")) {
            if (d.path("id").asText().equals(id)
                && !d.path("decision").asText().equals("received")) {
              return d;
            }
          }
          return null;
        });
  }

  /** The run a delivery started, once it has finished. */
  static JsonNode finishedRunOf(TestServer t, String deliveryId) {
    JsonNode d = decided(t, deliveryId);
    if (d.path("runs").isEmpty()) {
      throw new AssertionError("delivery " + deliveryId + " started no run: " + d);
    }
    return t.finishedRun(d.path("runs").get(0).asText());
  }

  /** What the server logged since this repository was made. */
  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  /** The files under {@code home} that hold {@code secret}: none, if it leaked nowhere. */
  static List<Path> filesHolding(Path home, String secret) {
    List<Path> out = new ArrayList<>();
    try (var files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret)) {
          out.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    System.setErr(stderr);
    server.close();
    git.close();
  }
}
