package dev.orchestra.workflow;

/**
 * A credential a node needs.
 *
 * @param name the name in the credential store
 * @param variable the environment variable to expose it as, or {@code null} for the one the node's
 *     agent expects
 */
public record CredentialRef(String name, String variable) {
  public static CredentialRef named(String name) {
    return new CredentialRef(name, null);
  }
}
