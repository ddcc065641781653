package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a node's outputs, context and checks name that are not files to read: {@code /dev/zero}
 * (which ran Orchestra out of memory), FIFOs (which hung it), files too large. Each ends the node
 * or fails its check at once, naming the file and what it is, also in a trusted run.
 */
class UnreadableFilesTest {
  @TempDir java.nio.file.Path dir;
  EngineFixture f;

  @BeforeEach
  void setUp() {
    f = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private RunResult runTrusted(String yaml) throws Exception {
    Workflow wf =
        Workflows.load(
            f.write("flow.yaml", yaml), ValidationOptions.defaults().withTrust(Trust.LOCAL));
    return f.run(wf, RunOptions.defaults().withTrust(Trust.LOCAL));
  }

  @Test
  void failsOutputsThatAreDevZeroAFifoOrTooLargeWithoutHanging() throws Exception {
    long t0 = System.nanoTime();
    RunResult r =
        runTrusted(
            """
            version: 1
            name: outputs
            defaults: {agent: command, attempts: 1, timeout: 10m}
            nodes:
              zero:
                command: "ln -s /dev/zero out.bin"
                outputs: {o: {file: out.bin}}
              fifo:
                command: "mkfifo pipe.txt"
                outputs: {o: {file: pipe.txt}}
              big:
                command: "head -c 2000000 /dev/zero | tr '\\\\0' x > big.txt"
                outputs: {o: {file: big.txt}}
            """);

    assertThat(r.nodes().get("zero").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(r.nodes().get("zero").reason())
        .isEqualTo(
            "output 'o' of node 'zero': out.bin is not a regular file (a device, a FIFO or a"
                + " socket); only a regular file is read");
    assertThat(r.nodes().get("fifo").reason())
        .isEqualTo(
            "output 'o' of node 'fifo': pipe.txt is not a regular file (a device, a FIFO or a"
                + " socket); only a regular file is read");
    assertThat(r.nodes().get("big").reason())
        .startsWith("output 'o' of node 'big': big.txt (")
        .endsWith(") is 1.9 MiB, larger than the 1 MiB it may be");
    // Far below the node's 10-minute timeout: nothing waited for a FIFO's writer.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(5));
  }

  @Test
  void errsOnContextThatIsAFifoOrADeviceAndSkipsAFifoAGlobMatches() throws Exception {
    assertThat(new ProcessBuilder("mkfifo", dir.resolve("notes.md").toString()).start().waitFor())
        .isZero();
    f.write("real.md", "real");

    RunResult r =
        runTrusted(
            """
            version: 1
            name: context
            defaults: {agent: command, command: cat}
            nodes:
              fifo: {context: [{file: notes.md}]}
              zero: {context: [{file: /dev/zero}]}
              glob: {context: [{file: "*.md"}]}
            """);

    assertThat(r.nodes().get("fifo").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(r.nodes().get("fifo").reason())
        .isEqualTo(
            "context file 'notes.md' of node 'fifo' is not a regular file (a device, a FIFO or a"
                + " socket); only a regular file is read");
    assertThat(r.nodes().get("zero").reason())
        .isEqualTo(
            "context file '/dev/zero' of node 'zero' is not a regular file (a device, a FIFO or"
                + " a socket); only a regular file is read");
    assertThat(r.nodes().get("glob").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(r.nodes().get("glob").output()).isEqualTo("## Context: file real.md\n\nreal");
  }

  @Test
  void failsAJunitCheckOnAFifoReportAndACommandWhoseOutputFileIsOne() throws Exception {
    RunResult r =
        runTrusted(
            """
            version: 1
            name: checks
            defaults: {agent: command, attempts: 1}
            nodes:
              junit:
                command: "mkdir -p reports && mkfifo reports/TEST-a.xml"
                checks: [{junit: "reports/*.xml"}]
              outfile:
                command: "mkfifo \\"$ORCHESTRA_OUTPUT_FILE\\""
              outlink:
                command: "ln -s /dev/zero \\"$ORCHESTRA_OUTPUT_FILE\\""
            """);

    assertThat(r.nodes().get("junit").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(f.events(Event.CheckFinished.class))
        .extracting(Event.CheckFinished::output)
        .anyMatch(
            o ->
                o.contains(
                    "cannot read reports/TEST-a.xml: it is not a regular file (a device, a FIFO or"
                        + " a socket); only a regular file is read"));
    assertThat(r.nodes().get("outfile").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(r.nodes().get("outfile").reason())
        .startsWith("the output file ORCHESTRA_OUTPUT_FILE (")
        .endsWith(
            ") is not a regular file (a device, a FIFO or a socket); only a regular file is read");
    assertThat(r.nodes().get("outlink").reason())
        .endsWith(") is a symbolic link; only a regular file is read");
  }
}
