package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.DockerOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege keys of {@code docker:} and the defaults that fill what a node leaves out.
 */
class DockerKeysTest {

  @Test
  void readsPidsCapabilitiesAndNoNewPrivilegesInDockersOwnSpelling() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                executor: docker
                image: busybox
                docker:
                  pids_limit: 64
                  capabilities: [cap_net_bind_service, CHOWN, chown]
                  no_new_privileges: false
            """);

    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().nodes().get("a").docker())
        .isEqualTo(
            new DockerOptions(
                null, null, null, List.of(), 64L, List.of("NET_BIND_SERVICE", "CHOWN"), false));
  }

  @Test
  void fillsWhatANodeLeavesOutWithLeastPrivilege() {
    DockerOptions given = new DockerOptions(0.5, null, "none", null);

    assertThat(given.withDefaults())
        .isEqualTo(
            new DockerOptions(
                0.5,
                "4g",
                "none",
                List.of(),
                1024L,
                List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"),
                true));
    assertThat(given.describe())
        .isEqualTo(
            "cpus 0.5, memory 4g, network none, pids 1024, capabilities CHOWN DAC_OVERRIDE FOWNER"
                + " SETGID SETUID, no-new-privileges");
    assertThat(
            new DockerOptions(null, null, null, List.of(), null, List.of("CHOWN", "NET_RAW"), null)
                .addedCapabilities())
        .containsExactly("NET_RAW");
  }
}
