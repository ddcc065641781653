/**
 * Credentials and secret masking: {@link dev.orchestra.secret.CredentialStore} (values encrypted at
 * rest under the Orchestra home), {@link dev.orchestra.secret.Credentials} (store, then {@code
 * ORCHESTRA_CREDENTIAL_*} variables) and {@link dev.orchestra.secret.SecretMasker} (values and
 * their encodings replaced by {@code ****}). Depends on the JDK and {@code dev.orchestra} only.
 */
package dev.orchestra.secret;
