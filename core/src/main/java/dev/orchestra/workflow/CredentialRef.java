package dev.orchestra.workflow;

import java.util.Objects;

/**
 * A credential a node needs.
 *
 * @param name the name in the credential store; not blank
 * @param variable the environment variable to expose it as (matching {@link NodeSpec#ENV_NAME}), or
 *     {@code null} for the one the node's agent expects
 */
public record CredentialRef(String name, String variable) {
  public CredentialRef {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a credential name must not be blank");
    }
    if (variable != null && !NodeSpec.ENV_NAME.matcher(variable).matches()) {
      throw new IllegalArgumentException(
          "credential variable must match " + NodeSpec.ENV_NAME.pattern() + ", was " + variable);
    }
  }

  public static CredentialRef named(String name) {
    return new CredentialRef(name, null);
  }
}
