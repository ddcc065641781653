package dev.orchestra.exec;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment variable that marks every process of one execution, Jenkins' "cookie" approach:
 * children inherit their parent's environment through {@code fork}, {@code exec}, {@code setsid}
 * and double forks, so a process that left the execution's process group still carries it, and
 * {@link ProcessSweep} finds it in {@code /proc/PID/environ}.
 *
 * <p>The name is unique per execution ({@code ORCHESTRA_TAG_} and 16 random hex digits), so that an
 * Orchestra run inside a node adds its own tags next to the outer one instead of replacing it: the
 * outer execution still finds everything below it. The value names the run, node and attempt (e.g.
 * {@code 20261123-221530-3fa2/build/2}) for people looking at a process ({@code grep -z
 * ORCHESTRA_TAG_ /proc/PID/environ}); nothing matches on it, since run ids of different run
 * directories may coincide.
 */
final class ProcessTag {
  static final String PREFIX = "ORCHESTRA_TAG_";

  private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[0-9A-F]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ProcessTag() {}

  /** A new name, {@code ORCHESTRA_TAG_} and 16 upper-case hex digits. */
  static String newName() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().withUpperCase().formatHex(bytes);
  }

  static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * {@code name}, checked to be a tag's name or {@code null}.
   *
   * @throws IllegalArgumentException when it is neither
   */
  static String requireNameOrNull(String name) {
    if (name != null && !isName(name)) {
      throw new IllegalArgumentException(
          "a process tag must be " + PREFIX + " and 16 hex digits, was '" + name + "'");
    }
    return name;
  }

  /**
   * The value for a process with these {@link ProcessSpec#labels()}: run, node, and attempt or
   * check, joined by {@code /}; {@code -} when it has none of them.
   */
  static String value(Map<String, String> labels) {
    var value = new StringBuilder();
    for (String key :
        new String[] {
          ProcessLabels.RUN, ProcessLabels.NODE, ProcessLabels.ATTEMPT, ProcessLabels.CHECK
        }) {
      String part = labels.get(key);
      if (part != null) {
        value.append(value.length() == 0 ? "" : "/").append(part.replace('\0', ' '));
      }
    }
    return value.length() == 0 ? "-" : value.toString();
  }
}
