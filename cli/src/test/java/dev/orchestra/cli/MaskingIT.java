package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/**
 * A credential printed by real processes (bash, coreutils, node) in every encoding agents and tools
 * use — as is, split over lines, {@code printf %q}, {@code ${p@Q}}, wrapped base64 in both
 * alphabets, hex (also wrapped), JSON-escaped as agent CLIs' streams carry tool output (also with
 * {@code \/}, twice, and wrapped base64 inside a JSON string), URL-encoded — on stdout, stderr, the
 * output file and a named output, and read back by a check and a downstream node. No fragment of it
 * may show anywhere Orchestra writes or prints: the records while the node still runs and after,
 * {@code --json}, {@code runs logs}, {@code report --junit} and {@code --html}, the downstream
 * node's prompt.
 */
class MaskingIT {
  /** The credential and four characters whose base64 differs between the alphabets. */
  private static final String SECRET = "p@ss\"w\\rd/+=??>>";

  /** A value of the same shape, to tell the lines' own text from what the secret adds. */
  private static final String OTHER = "Zq7#kLm0Yx9^tR4~";

  /** Fragments shorter than this are not looked for: they occur by chance. */
  private static final int WINDOW = 6;

  private static final String SCRIPT =
      """
      set -eu
      p=$PROBE
      emit() {
        printf 'raw %s\\n' "$p"
        printf 'printf-q %q\\n' "$p"
        printf 'at-q %s\\n' "${p@Q}"
        printf 'split %s\\n%s end\\n' "${p:0:7}" "${p:7}"
        printf %s "$p" | base64 -w 8
        printf %s "$p" | base64 -w 0 | tr '+/' '-_' | fold -w 6; echo
        printf 'hex %s\\n' "$(printf %s "$p" | od -An -v -tx1 | tr -d ' \\n')"
        printf %s "$p" | od -An -v -tx1 | tr -d ' \\n' | tr a-f A-F | fold -w 10; echo
        node -e '
          const p = process.env.PROBE;
          const b64 = Buffer.from(p).toString("base64").replace(/(.{8})/g, "$1\\n");
          console.log(JSON.stringify({type: "tool_result", content: p}));
          console.log(JSON.stringify({type: "tool_result", content: "x\\n" + b64}));
          console.log(JSON.stringify({type: "tool_result", content: p}).replace(/\\//g, "\\\\/"));
          console.log(JSON.stringify({outer: JSON.stringify({inner: p})}));
          console.log("url " + encodeURIComponent(p));
        '
      }
      if [ "${1:-}" = emit ]; then emit; exit 0; fi
      emit > encodings.txt
      emit > "$ORCHESTRA_OUTPUT_FILE"
      emit >&2
      emit
      echo ready
      i=0; while [ ! -e "$SYNC/go" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
      """;

  @TempDir Path dir;
  @TempDir Path sync;

  @Test
  void noFragmentOfACredentialInAnyEncodingReachesRecordsEventsReportsOrViews() throws Exception {
    Files.writeString(dir.resolve("leak.sh"), SCRIPT);
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: masking
        nodes:
          leak:
            agent: command
            command: [bash, leak.sh]
            credentials: [{PROBE: probe}]
            env: {SYNC: "%1$s"}
            checks:
              - run: cat encodings.txt
            outputs:
              enc: {file: encodings.txt}
          down:
            needs: [leak]
            agent: command
            command: [sh, -c, 'cat > "$SYNC/down-prompt.txt"']
            env: {SYNC: "%1$s"}
            prompt: |
              {{ nodes.leak.output }}
              {{ nodes.leak.outputs.enc }}
        """
            .formatted(sync));
    Set<String> fragments = fragments();
    Path runs = dir.resolve(".orchestra/runs");

    List<RecordedEvent> printed;
    try (OrchestraProcess run =
        OrchestraProcess.start(
            dir,
            Map.of(
                "ORCHESTRA_HOME",
                dir.resolve("home").toString(),
                "ORCHESTRA_CREDENTIAL_PROBE",
                SECRET),
            "run",
            "flow.yaml",
            "--json")) {
      run.await(e -> e instanceof Event.NodeOutput o && o.text().equals("ready"));
      // The node still runs: what is on disk already must hold nothing of the secret.
      assertNoFragment(fragments, "records while the node runs", recorded(runs));
      Files.writeString(sync.resolve("go"), "");
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      printed = run.recorded();
      assertNoFragment(fragments, "stderr of orchestra run", List.of(run.stderr()));
    }
    String runId = printed.get(0).run();

    assertNoFragment(fragments, "run records", recorded(runs));
    List<String> json = new ArrayList<>();
    for (RecordedEvent e : printed) {
      json.addAll(strings(EventJson.encode(e)));
    }
    assertNoFragment(fragments, "orchestra run --json", json);
    assertNoFragment(
        fragments,
        "the downstream node's prompt",
        List.of(Files.readString(sync.resolve("down-prompt.txt"))));

    CliRun logs = CliRun.of("runs", "logs", runId, "leak", "--runs-dir", runs.toString());
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertNoFragment(fragments, "orchestra runs logs", List.of(logs.out(), logs.err()));
    // Masked, not dropped: each encoding's line is still there.
    assertThat(logs.out())
        .contains("raw ****")
        .contains("printf-q ****")
        .contains("at-q '****'")
        .contains("split ****\n**** end")
        .contains("hex ****")
        .contains("url ****")
        .contains("{\"type\":\"tool_result\",\"content\":\"****\"}")
        .contains("{\"type\":\"tool_result\",\"content\":\"x****");

    Path junit = dir.resolve("report/junit.xml");
    Path html = dir.resolve("report/html");
    CliRun report =
        CliRun.of(
            "report",
            runId,
            "--junit",
            junit.toString(),
            "--html",
            html.toString(),
            "--runs-dir",
            runs.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertNoFragment(fragments, "report --junit", xmlStrings(junit));
    List<String> pages = new ArrayList<>();
    for (Path page : files(html)) {
      pages.add(htmlText(Files.readString(page)));
    }
    assertNoFragment(fragments, "report --html", pages);
    assertThat(String.join("\n", pages)).contains("****");
  }

  /**
   * The fragments of {@code WINDOW} characters of what the script prints that only the secret
   * brings: printed with {@code SECRET}, less those printed with {@code OTHER} too.
   */
  private Set<String> fragments() throws Exception {
    Set<String> secret = windows(emit(SECRET));
    secret.removeAll(windows(emit(OTHER)));
    assertThat(secret).hasSizeGreaterThan(100);
    return secret;
  }

  private String emit(String value) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", dir.resolve("leak.sh").toString(), "emit")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("PROBE", value);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static Set<String> windows(String text) {
    Set<String> out = new HashSet<>();
    for (String line : text.lines().toList()) {
      for (int i = 0; i + WINDOW <= line.length(); i++) {
        out.add(line.substring(i, i + WINDOW));
      }
    }
    return out;
  }

  private static void assertNoFragment(Set<String> fragments, String where, List<String> texts) {
    for (String text : texts) {
      for (String line : text.lines().toList()) {
        for (int i = 0; i + WINDOW <= line.length(); i++) {
          String w = line.substring(i, i + WINDOW);
          assertThat(fragments)
              .as("%s: a piece of the secret in %s", where, line)
              .doesNotContain(w);
        }
      }
    }
  }

  /**
   * Every record of the runs, as a reader sees it: JSON files by their decoded strings, the others
   * as text.
   */
  private static List<String> recorded(Path runs) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path file : files(runs)) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      String name = file.getFileName().toString();
      if (name.endsWith(".jsonl")) {
        for (String line : text.lines().toList()) {
          out.addAll(stringsOrText(line));
        }
      } else if (name.endsWith(".json")) {
        out.addAll(stringsOrText(text));
      } else {
        out.add(text);
      }
    }
    return out;
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  /** The strings of a JSON document, or the text itself while it is still being written. */
  private static List<String> stringsOrText(String text) {
    try {
      return text.isBlank() ? List.of() : strings(text);
    } catch (IOException e) {
      return List.of(text);
    }
  }

  /** Every string value (and key) of a JSON document. */
  private static List<String> strings(String json) throws IOException {
    List<String> out = new ArrayList<>();
    collect(new ObjectMapper().readTree(json), out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    }
    node.fieldNames().forEachRemaining(out::add);
    node.elements().forEachRemaining(child -> collect(child, out));
  }

  /** The text and attribute values of an XML file. */
  private static List<String> xmlStrings(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    collect(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()), out);
    return out;
  }

  private static void collect(Node node, List<String> out) {
    if (node.getNodeValue() != null) {
      out.add(node.getNodeValue());
    }
    if (node.getAttributes() != null) {
      for (int i = 0; i < node.getAttributes().getLength(); i++) {
        out.add(node.getAttributes().item(i).getNodeValue());
      }
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      collect(c, out);
    }
  }

  /** An HTML page's text with its character references decoded. */
  private static String htmlText(String html) {
    return html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
