package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Orphan cleanup on the real engine: only containers of Orchestra processes that are gone. */
class DockerRuntimeIT {
  private final List<String> created = new ArrayList<>();

  @AfterEach
  void removeCreated() {
    DockerClient client = TestDocker.runtime().client();
    for (String id : created) {
      try {
        client.removeContainerCmd(id).withForce(true).exec();
      } catch (NotFoundException e) {
        // removed by the test
      }
    }
  }

  private String container(Map<String, String> labels) {
    DockerClient client = TestDocker.runtime().client();
    String id =
        client
            .createContainerCmd(TestDocker.BUSYBOX)
            .withCmd("sleep", "1000")
            .withLabels(labels)
            .exec()
            .getId();
    created.add(id);
    client.startContainerCmd(id).exec();
    return id;
  }

  private static boolean exists(String id) {
    try {
      TestDocker.runtime().client().inspectContainerCmd(id).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Test
  void removesRunningContainersOfAGoneOrchestraAndLeavesLiveOnesAndOthersAlone() throws Exception {
    DockerRuntime docker = TestDocker.runtime();
    Process gone = new ProcessBuilder("sleep", "60").start();
    String goneOwner = DockerRuntime.ownerOf(gone.toHandle());
    gone.destroyForcibly();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();

    String orphan =
        container(
            Map.of(
                DockerRuntime.RUN, "20260101-000000-0001",
                DockerRuntime.NODE, "build",
                DockerRuntime.OWNER, goneOwner));
    String live =
        container(
            Map.of(DockerRuntime.RUN, "20260101-000000-0002", DockerRuntime.OWNER, docker.owner()));
    String stranger = container(Map.of("com.example.app", "web"));
    String noOwner = container(Map.of(DockerRuntime.RUN, "20260101-000000-0003"));

    List<String> removed = docker.removeOrphans();

    // Orphans of earlier, killed test JVMs may go too; ours must, the others must not.
    assertThat(removed).contains(orphan).doesNotContain(live, stranger, noOwner);
    assertThat(exists(orphan)).isFalse();
    assertThat(exists(live)).isTrue();
    assertThat(exists(stranger)).isTrue();
    assertThat(exists(noOwner)).isTrue();
  }

  @Test
  void aReusedPidWithAnotherStartTimeCountsAsGone() {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().orElseThrow().toEpochMilli();

    assertThat(DockerRuntime.alive(DockerRuntime.ownerOf(self))).isTrue();
    assertThat(DockerRuntime.alive(self.pid() + "/" + (started - 60_000))).isFalse();
  }
}
