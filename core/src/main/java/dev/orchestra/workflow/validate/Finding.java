package dev.orchestra.workflow.validate;

import java.util.Objects;

/**
 * What a rule found wrong, before it is placed in the file: the message and the hint of a {@link
 * dev.orchestra.workflow.Problem}, for rules that decide what is wrong apart from where it stands.
 *
 * @param message what is wrong
 * @param hint a suggestion, or {@code null}
 */
record Finding(String message, String hint) {
  Finding {
    Objects.requireNonNull(message, "message");
  }

  static Finding of(String message) {
    return new Finding(message, null);
  }
}
