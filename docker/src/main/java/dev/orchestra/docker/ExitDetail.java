package dev.orchestra.docker;

import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;

/**
 * Explains how a container ended when that was not a plain exit: OOM, a signal, an engine error.
 */
final class ExitDetail {
  private ExitDetail() {}

  static String of(ContainerState state, int code, boolean killed) {
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      return "OOMKilled: the container ran out of its memory limit (exit code "
          + code
          + "); raise 'docker: {memory: ...}' or make the process use less";
    }
    if (state.getError() != null && !state.getError().isBlank()) {
      return "the container died: " + state.getError();
    }
    if (!killed && code > 128 && code < 160) {
      return "killed by signal " + (code - 128) + signalName(code - 128);
    }
    return null;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 9 -> " (SIGKILL)";
      case 15 -> " (SIGTERM)";
      case 6 -> " (SIGABRT)";
      case 11 -> " (SIGSEGV)";
      case 2 -> " (SIGINT)";
      default -> "";
    };
  }
}
