package dev.orchestra.exec;

import java.io.IOException;
import java.util.List;

/**
 * {@link Spawner#setsid()}: the JDK's {@link ProcessBuilder}, with the program started through
 * {@code setsid} ({@link ProcessGroups#inNewGroup}) when this machine has it. The JDK closes every
 * other descriptor in the child itself.
 */
final class SetsidSpawner implements Spawner {
  static final SetsidSpawner INSTANCE = new SetsidSpawner();

  private SetsidSpawner() {}

  @Override
  public boolean ownsGroup() {
    return ProcessGroups.available();
  }

  @Override
  public Process spawn(Launch launch) throws IOException {
    List<String> argv = ownsGroup() ? ProcessGroups.inNewGroup(launch.argv()) : launch.argv();
    var builder = new ProcessBuilder(argv).directory(launch.workdir().toFile());
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    builder.redirectInput(ProcessBuilder.Redirect.from(launch.stdin().toFile()));
    return builder.start();
  }
}
