package dev.orchestra.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.workflow.DockerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each process in a fresh container of one image ({@code executor: docker}).
 *
 * <p>The container runs {@link ProcessSpec#argv()} as the invoking user's uid:gid, in {@link
 * ProcessSpec#workdir()}, which is bind-mounted at the same path (see {@link Mounts} for the other
 * mounts). {@link ProcessSpec#env()} goes into the create call only, never onto a command line; the
 * container is removed as soon as it has ended, so no {@code docker inspect} shows that environment
 * afterwards. Standard input is end-of-file, or {@link ProcessSpec#stdin()} through the image's
 * {@code /bin/sh}. Output is delivered line by line as it arrives. {@code cpus}, {@code memory}
 * (swap limited to the same, so that the limit is a limit), {@code network}, the pids limit, the
 * capabilities kept (all others dropped) and {@code no-new-privileges} come from the node's {@link
 * DockerOptions}, least privilege where it names none.
 *
 * <p>Thread-safe; one instance per node, sharing its {@link DockerRuntime}'s connection.
 */
public final class DockerExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(DockerExecutor.class);

  private final DockerRuntime runtime;
  private final String image;
  private final DockerOptions options;

  DockerExecutor(DockerRuntime runtime, String image, DockerOptions options) {
    this.runtime = runtime;
    this.image = image;
    this.options = options;
  }

  /**
   * {@inheritDoc}
   *
   * @throws LaunchException when the image is missing, an option is invalid, the working directory
   *     does not exist, or the engine refuses the container; the message names the value
   */
  @Override
  public Execution start(ProcessSpec spec, OutputListener listener) {
    if (spec.argv().isEmpty()) {
      throw new LaunchException("cannot start a container with an empty command line");
    }
    Path workdir =
        (spec.workdir() != null ? spec.workdir() : Path.of("")).toAbsolutePath().normalize();
    if (!Files.isDirectory(workdir)) {
      throw new LaunchException(
          "cannot run '"
              + spec.argv().get(0)
              + "' in a container: the workspace '"
              + workdir
              + "' does not exist or is not a directory");
    }
    if (spec.stdin() != null && !Files.isRegularFile(spec.stdin())) {
      throw new LaunchException(
          "cannot run '"
              + spec.argv().get(0)
              + "': its stdin file '"
              + spec.stdin()
              + "' does not exist");
    }
    DockerClient client = runtime.client();
    String id;
    long t0 = System.nanoTime();
    try (CreateContainerCmd create = client.createContainerCmd(image)) {
      create
          .withCmd(command(spec))
          .withEnv(env(spec.env()))
          .withWorkingDir(workdir.toString())
          .withUser(runtime.user())
          .withLabels(labels(spec))
          .withAttachStdout(true)
          .withAttachStderr(true)
          .withAttachStdin(false)
          .withStdinOpen(false)
          .withTty(false)
          .withHostConfig(hostConfig(spec, workdir));
      id = create.exec().getId();
    } catch (NotFoundException e) {
      throw new LaunchException(
          "the Docker image '"
              + image
              + "' is not on this machine; build it (see docker/Dockerfile) or `docker pull "
              + image
              + "`",
          e);
    } catch (DockerException e) {
      throw new LaunchException(
          "Docker refused a container of '"
              + image
              + "' for '"
              + spec.argv().get(0)
              + "': "
              + e.getMessage(),
          e);
    }
    var execution = new ContainerExecution(client, id, spec.argv().get(0), listener);
    try {
      execution.start();
    } catch (RuntimeException e) {
      execution.kill();
      throw new LaunchException(
          "cannot start '"
              + spec.argv().get(0)
              + "' in a container of '"
              + image
              + "': "
              + e.getMessage(),
          e);
    }
    LOG.debug(
        "started {} in container {} of {} in {} ms",
        spec.argv().get(0),
        id,
        image,
        (System.nanoTime() - t0) / 1_000_000);
    return execution;
  }

  /**
   * The container's command: argv, or, with a stdin file, argv run by {@code /bin/sh} with its
   * standard input redirected from that file (mounted at the same path). Docker's attach would need
   * the client to half-close the connection to signal end-of-file, which docker-java's transport
   * does not do, so a process reading stdin to the end would wait forever. The file's path, not its
   * content, is on the command line.
   */
  private static List<String> command(ProcessSpec spec) {
    if (spec.stdin() == null) {
      return spec.argv();
    }
    List<String> command = new ArrayList<>(spec.argv().size() + 4);
    command.add("/bin/sh");
    command.add("-c");
    command.add("exec \"$@\" < \"$0\"");
    command.add(spec.stdin().toAbsolutePath().normalize().toString());
    command.addAll(spec.argv());
    return command;
  }

  private static List<String> env(Map<String, String> env) {
    List<String> list = new ArrayList<>(env.size());
    env.forEach((k, v) -> list.add(k + "=" + v));
    return list;
  }

  private Map<String, String> labels(ProcessSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    // orchestra.run is what orphan cleanup looks for: every container has it.
    labels.put(DockerRuntime.RUN, "");
    labels.putAll(spec.labels());
    labels.put(DockerRuntime.OWNER, runtime.owner());
    return labels;
  }

  /**
   * Least privilege unless the node says otherwise ({@link DockerOptions#withDefaults()}): every
   * capability dropped but the few kept, {@code no-new-privileges}, a pids limit, and memory and
   * CPU limits (the default CPUs capped at the engine's count, which Docker requires).
   */
  private HostConfig hostConfig(ProcessSpec spec, Path workdir) {
    DockerOptions limits = options.withDefaults();
    HostConfig host =
        HostConfig.newHostConfig().withBinds(Mounts.of(spec, workdir, options.mounts()));
    double cpus = options.cpus() != null ? options.cpus() : Math.min(limits.cpus(), runtime.cpus());
    host.withNanoCPUs(Math.round(cpus * 1e9));
    long bytes = MemorySize.parse(limits.memory());
    host.withMemory(bytes).withMemorySwap(bytes);
    host.withPidsLimit(limits.pidsLimit());
    host.withCapDrop(Capability.ALL);
    host.withCapAdd(
        limits.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
    if (limits.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges"));
    }
    String network =
        options.network() == null ? "bridge" : options.network().toLowerCase(Locale.ROOT);
    if (!network.equals("bridge") && !network.equals("none")) {
      throw new LaunchException(
          "docker network '" + options.network() + "' is not supported; use 'bridge' or 'none'");
    }
    return host.withNetworkMode(network);
  }
}
