package dev.orchestra.docker;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The uid and gid of this JVM, as Docker's {@code User} wants them ({@code uid:gid}). */
final class HostUser {
  private HostUser() {}

  static String current() {
    // /proc/self belongs to the process's effective uid and gid.
    Path self = Path.of("/proc/self");
    try {
      Object uid = Files.getAttribute(self, "unix:uid");
      Object gid = Files.getAttribute(self, "unix:gid");
      return uid + ":" + gid;
    } catch (IOException | UnsupportedOperationException e) {
      throw new OrchestraException(
          "cannot tell this process's uid and gid from /proc/self ("
              + e.getMessage()
              + "); the Docker executor needs Linux with /proc mounted",
          e);
    }
  }
}
