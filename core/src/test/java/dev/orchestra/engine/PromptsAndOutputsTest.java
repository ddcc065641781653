package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates, context, named outputs and composed workflows, end to end with real processes. */
class PromptsAndOutputsTest {
  @TempDir Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void rendersTemplatesAndAddsContextUnderHeadings() throws Exception {
    f.write("docs/guide.md", "Be brief.");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/spec",
        ex -> {
          byte[] body = "The spec says hi.".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/spec";
      Workflow wf =
          f.workflow(
              "ctx.yaml",
              """
              version: 1
              name: ctx
              inputs:
                task: {required: true}
              defaults: {agent: command}
              nodes:
                plan:
                  command: "printf 'step one' > plan.md; echo planned"
                  outputs:
                    plan: {file: plan.md}
                    meta: {json: meta.json}
                  env: {META: '{"run": "{{ run.id }}"}'}
                  checks:
                    - run: 'printf "%s" "$META" > meta.json'
                work:
                  needs: [plan]
                  prompt: "Do {{ inputs.task }} per {{ nodes.plan.outputs.plan }}; {{ env.GREETING }}"
                  context:
                    - file: "docs/*.md"
                    - node: plan
                    - url: "URL"
                  command: "cat"
              """
                  .replace("URL", url));

      // The URL is on loopback: only a trusted run may fetch it (PathEscapeTest: an untrusted one).
      RunResult result =
          f.run(
              wf,
              RunOptions.defaults().withInputs(Map.of("task", "the thing")).withTrust(Trust.LOCAL));

      assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(result.nodes().get("plan").outputs())
          .containsEntry("plan", "step one")
          .containsEntry("meta", "{\"run\":\"" + result.runId() + "\"}");
      assertThat(result.nodes().get("work").output())
          .isEqualTo(
              "Do the thing per step one; hello\n\n"
                  + "## Context: file docs/guide.md\n\nBe brief.\n\n"
                  + "## Context: output of node plan\n\nplanned\n\n"
                  + "## Context: "
                  + url
                  + "\n\nThe spec says hi.");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void failsANodeWhoseJsonOutputIsInvalidAndErrsOnAnUnreachableUrl() throws Exception {
    Workflow wf =
        f.workflow(
            "bad.yaml",
            """
            version: 1
            name: bad
            defaults: {agent: command}
            nodes:
              writer:
                command: "echo '{not json' > out.json"
                outputs:
                  data: {json: out.json}
              fetcher:
                command: "true"
                context:
                  - url: "http://127.0.0.1:9/nothing"
            """);

    RunResult result = f.run(wf, RunOptions.defaults().withTrust(Trust.LOCAL));

    assertThat(result.nodes().get("writer").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("writer").reason())
        .contains("output 'data'")
        .contains("out.json is not valid JSON");
    assertThat(result.nodes().get("fetcher").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("fetcher").reason())
        .contains("cannot fetch context url 'http://127.0.0.1:9/nothing'");
  }

  @Test
  void runsAComposedWorkflowWithInnerNodeIdsAndItsDeclaredOutputs() throws Exception {
    f.write(
        "agents/greet.yaml",
        """
        version: 1
        name: greet
        inputs:
          who: {required: true}
        outputs:
          greeting: {value: "{{ nodes.polish.output }}"}
        defaults: {agent: command}
        nodes:
          draft: {prompt: "hello {{ inputs.who }}", command: "cat"}
          polish: {needs: [draft], prompt: "{{ nodes.draft.output }}!", command: "cat"}
        """);
    Workflow wf =
        f.workflow(
            "outer.yaml",
            """
            version: 1
            name: outer
            defaults: {agent: command}
            nodes:
              name: {command: "echo world"}
              greet:
                needs: [name]
                uses: ./agents/greet.yaml
                with: {who: "{{ nodes.name.output }}"}
              shout:
                needs: [greet]
                prompt: "{{ nodes.greet.outputs.greeting }}"
                command: "tr a-z A-Z"
            """);

    RunResult result = f.run(wf);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.nodes().keySet())
        .containsExactly("name", "greet", "greet/draft", "greet/polish", "shout");
    assertThat(result.nodes().get("greet").outputs()).containsEntry("greeting", "hello world!");
    assertThat(result.nodes().get("shout").output()).isEqualTo("HELLO WORLD!");
    assertThat(f.events(Event.NodeStarted.class))
        .extracting(Event.NodeStarted::node)
        .containsExactly("name", "greet", "greet/draft", "greet/polish", "shout");
    assertThat(f.indexOf(EngineFixture.finished("greet")))
        .isGreaterThan(f.indexOf(EngineFixture.finished("greet/polish")));
    assertThat(f.store.attempts(result.runId(), "greet/draft")).hasSize(1);
  }

  @Test
  void failsAComposedNodeWhenAnInnerNodeFailsAndSkipsItsDependents() throws Exception {
    f.write(
        "inner.yaml",
        """
        version: 1
        name: inner
        defaults: {agent: command, attempts: 1}
        nodes:
          ok: {command: "true"}
          broken: {command: "exit 2"}
          after: {needs: [broken], command: "true"}
        """);
    Workflow wf =
        f.workflow(
            "outer.yaml",
            """
            version: 1
            name: outer
            defaults: {agent: command}
            nodes:
              comp: {uses: ./inner.yaml}
              next: {needs: [comp], command: "true"}
            """);

    RunResult result = f.run(wf);

    assertThat(result.nodes().get("comp").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(result.nodes().get("comp").reason()).startsWith("inner node 'comp/broken' error");
    assertThat(result.nodes().get("comp/ok").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(result.nodes().get("comp/after").status()).isEqualTo(NodeStatus.SKIPPED);
    assertThat(result.nodes().get("next").reason()).isEqualTo("upstream node 'comp' failed");
  }
}
