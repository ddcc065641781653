package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.orchestra.OrchestraException;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escapes tried at run time on the real engine, in an untrusted run: each workflow is
 * validated as trusted (so that validation, which refuses most of them, does not stop them first)
 * and then run untrusted, and the engine itself must refuse, naming the path and why, without the
 * outside file's content reaching any record. Links made by the agent can only be caught here.
 */
class PathEscapeTest {
  private static final String SECRET = "the-credentials-key-7Hq2";

  /** Holds the workspace and the file beside it that '..' would reach: nothing lands in /tmp. */
  @TempDir Path base;

  @TempDir Path outside;
  Path dir;
  EngineFixture f;
  Path secret;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createDirectories(base.resolve("workspace"));
    f = EngineFixture.configured(dir, b -> b.allowHosts(List.of("127.0.0.1")));
    secret = Files.writeString(outside.resolve("credentials.key"), SECRET);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** {@code yaml} as {@code flow.yaml}, validated as a trusted workflow. */
  private Workflow trusted(String yaml) {
    return Workflows.load(
        f.write("flow.yaml", yaml.replace("SECRET", secret.toString())),
        ValidationOptions.defaults().withTrust(Trust.LOCAL));
  }

  private RunResult untrusted(Workflow wf) throws Exception {
    RunResult result = f.run(wf);
    assertThat(f.everythingRecorded(result.runId())).doesNotContain(SECRET);
    return result;
  }

  private static NodeResult node(RunResult r, String id) {
    return r.nodes().get(id);
  }

  @Test
  void refusesContextThatLeadsOutWithDotDotAnAbsolutePathOrAGlob() throws Exception {
    Files.writeString(dir.getParent().resolve("OUTSIDE.txt"), SECRET);
    RunResult r =
        untrusted(
            trusted(
                """
                version: 1
                name: ctx
                defaults: {agent: command, command: cat}
                nodes:
                  up: {context: [{file: ../OUTSIDE.txt}]}
                  abs: {context: [{file: SECRET}]}
                  glob: {context: [{file: "../*.txt"}]}
                  environ: {context: [{file: /proc/self/environ}]}
                """));

    assertThat(node(r, "up").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "up").reason())
        .isEqualTo(
            "context file '../OUTSIDE.txt' of node 'up' leads out of the workspace with '..';"
                + " if this is your own workflow on your own machine, run it with --trust-local");
    assertThat(node(r, "abs").reason())
        .startsWith("context file '" + secret + "' of node 'abs' is an absolute path");
    assertThat(node(r, "glob").reason())
        .startsWith("context file '../*.txt' of node 'glob' leads out");
    assertThat(node(r, "environ").reason())
        .startsWith("context file '/proc/self/environ' of node 'environ' is an absolute path");
  }

  @Test
  void refusesALinkInTheWorkspaceThatLeadsToASecretAndLetsALinkInsideThrough() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.createSymbolicLink(dir.resolve("docs/x.md"), secret);
    Files.writeString(dir.resolve("docs/guide.md"), "Be brief.");
    Files.createSymbolicLink(dir.resolve("docs/same.md"), dir.resolve("docs/guide.md"));

    RunResult r =
        untrusted(
            trusted(
                """
                version: 1
                name: links
                defaults: {agent: command, command: cat}
                nodes:
                  leak: {context: [{file: docs/x.md}]}
                  glob: {context: [{file: "docs/*.md"}]}
                  fine: {context: [{file: docs/same.md}]}
                """));

    assertThat(node(r, "leak").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "leak").reason())
        .isEqualTo(
            "context file 'docs/x.md' of node 'leak' resolves to "
                + secret.toRealPath()
                + " through a symbolic link, outside the workspace ("
                + dir.toRealPath()
                + "); if this is your own workflow on your own machine, run it with"
                + " --trust-local");
    assertThat(node(r, "glob").reason()).contains("'docs/x.md' of node 'glob' resolves to");
    assertThat(node(r, "fine").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(node(r, "fine").output()).endsWith("## Context: file docs/same.md\n\nBe brief.");
  }

  @Test
  void refusesOutputsThatLeadOutOrThatTheAgentTurnedIntoLinks() throws Exception {
    RunResult r =
        untrusted(
            trusted(
                """
                version: 1
                name: outs
                defaults: {agent: command, attempts: 1}
                nodes:
                  shadow:
                    command: "true"
                    outputs: {o: {file: /etc/shadow}}
                  host:
                    command: "true"
                    outputs: {o: {file: ../../../etc/hostname}}
                  linked:
                    command: "ln -s SECRET out.txt"
                    outputs: {o: {file: out.txt}}
                """));

    assertThat(node(r, "shadow").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(node(r, "shadow").reason())
        .startsWith("output 'o' of node 'shadow': /etc/shadow is an absolute path");
    assertThat(node(r, "host").reason())
        .startsWith("output 'o' of node 'host': ../../../etc/hostname leads out of the workspace");
    assertThat(node(r, "linked").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(node(r, "linked").reason())
        .startsWith(
            "output 'o' of node 'linked': out.txt resolves to "
                + secret.toRealPath()
                + " through a symbolic link");
  }

  @Test
  void refusesAPromptFileAndAUsedWorkflowOutsideTheRepositoryWithoutRunningIt() throws Exception {
    Path marker = outside.resolve("ran");
    Files.writeString(
        outside.resolve("evil.yaml"),
        "version: 1\nname: evil\nnodes:\n  e: {agent: command, command: \"touch "
            + marker
            + "\"}\n");
    RunResult r =
        untrusted(
            trusted(
                """
                version: 1
                name: prompt
                nodes:
                  p: {agent: command, command: cat, prompt_file: /etc/passwd}
                """));
    assertThat(node(r, "p").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "p").reason())
        .startsWith("prompt_file '/etc/passwd' of node 'p' is an absolute path; it must be inside");

    Workflow uses =
        trusted(
            """
            version: 1
            name: uses
            nodes:
              u: {uses: EVIL}
            """
                .replace("EVIL", outside.resolve("evil.yaml").toString()));
    assertThatThrownBy(() -> f.run(uses))
        .isInstanceOf(OrchestraException.class)
        .hasMessageStartingWith(
            "node 'u' uses '" + outside.resolve("evil.yaml") + "', which is an absolute path");
    assertThat(marker).doesNotExist();
  }

  @Test
  void countsNoCheckMatchThatALinkLeadsOutOf() throws Exception {
    Path report = outside.resolve("TEST-ok.xml");
    Files.writeString(
        report, "<testsuite tests=\"1\"><testcase classname=\"A\" name=\"ok\"/></testsuite>");
    RunResult r =
        untrusted(
            trusted(
                """
                version: 1
                name: checks
                defaults: {agent: command, attempts: 1}
                nodes:
                  junit:
                    command: "mkdir -p reports && ln -s REPORT reports/TEST-ok.xml"
                    checks: [{junit: "reports/*.xml"}]
                  exists:
                    command: "ln -s /etc done"
                    checks: [{exists: done}]
                """
                    .replace("REPORT", report.toString())));

    assertThat(node(r, "junit").status()).isEqualTo(NodeStatus.FAILED);
    Path real = report.toRealPath();
    assertThat(f.events(dev.orchestra.event.Event.CheckFinished.class))
        .extracting(dev.orchestra.event.Event.CheckFinished::output)
        .anyMatch(
            o ->
                o.contains(
                    "cannot read reports/TEST-ok.xml: it resolves to "
                        + real
                        + " through a symbolic link"))
        .anyMatch(
            o ->
                o.startsWith(
                    "'done' matched only paths the workspace rule refuses: done resolves to /etc"));
    assertThat(node(r, "exists").status()).isEqualTo(NodeStatus.FAILED);
  }

  @Test
  void refusesALoopbackUrlAndARedirectToOneButFetchesFromAnAllowedHost() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.createContext(
        "/doc",
        ex -> {
          byte[] body = "allowed document".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/away",
        ex -> {
          ex.getResponseHeaders().add("Location", "http://127.0.0.2:" + port + "/doc");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.start();
    try {
      RunResult r =
          untrusted(
              trusted(
                  """
                  version: 1
                  name: urls
                  defaults: {agent: command, command: cat}
                  nodes:
                    loop: {context: [{url: "http://localhost:PORT/doc"}]}
                    meta: {context: [{url: "http://169.254.169.254/latest/meta-data/"}]}
                    redirected: {context: [{url: "http://127.0.0.1:PORT/away"}]}
                    allowed: {context: [{url: "http://127.0.0.1:PORT/doc"}]}
                  """
                      .replace("PORT", String.valueOf(port))));

      assertThat(node(r, "loop").reason())
          .startsWith("context url 'http://localhost:" + port + "/doc' of node 'loop' reaches")
          .contains("a loopback address; an untrusted workflow may fetch only public addresses");
      assertThat(node(r, "meta").reason())
          .contains("reaches 169.254.169.254, a link-local address (a cloud's metadata service");
      assertThat(node(r, "redirected").reason())
          .startsWith(
              "context url 'http://127.0.0.1:"
                  + port
                  + "/away' of node 'redirected' was redirected to http://127.0.0.2:"
                  + port
                  + "/doc, which reaches 127.0.0.2, a loopback address");
      assertThat(node(r, "allowed").status()).isEqualTo(NodeStatus.SUCCEEDED);
      assertThat(node(r, "allowed").output()).endsWith("allowed document");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void letsATrustedRunReadOutsideAsBefore() throws Exception {
    Workflow wf =
        trusted(
            """
            version: 1
            name: local
            nodes:
              a: {agent: command, command: cat, context: [{file: SECRET}]}
            """);

    RunResult r = f.run(wf, RunOptions.defaults().withTrust(Trust.LOCAL));

    assertThat(node(r, "a").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(node(r, "a").output()).contains(SECRET);
  }
}
