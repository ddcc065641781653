package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import dev.orchestra.workflow.DockerOptions;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The capability names a workflow may write are exactly those the Docker API takes. */
class CapabilitiesTest {
  @Test
  void everyNameTheParserAcceptsIsOneDockerKnowsAndNoneIsMissing() {
    Set<String> docker =
        Arrays.stream(Capability.values())
            .map(Capability::name)
            .filter(n -> !n.equals("ALL"))
            .collect(Collectors.toSet());

    assertThat(DockerOptions.CAPABILITIES).isEqualTo(docker);
    assertThat(docker).containsAll(DockerOptions.DEFAULT_CAPABILITIES);
  }
}
