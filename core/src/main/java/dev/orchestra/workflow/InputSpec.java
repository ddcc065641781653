package dev.orchestra.workflow;

/**
 * A declared workflow input.
 *
 * @param description what the input is for; may be {@code null}
 * @param required whether a run must be given a value
 * @param defaultValue used when no value is given; may be {@code null}
 */
public record InputSpec(String description, boolean required, String defaultValue) {

  /** Whether a run must give a value: required and without a default. */
  public boolean mustBeGiven() {
    return required && defaultValue == null;
  }
}
