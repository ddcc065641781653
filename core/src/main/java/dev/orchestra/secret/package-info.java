/**
 * Credentials and secret masking: {@link dev.orchestra.secret.CredentialStore} (values encrypted at
 * rest under the Orchestra home), {@link dev.orchestra.secret.Credentials} (store, then {@code
 * ORCHESTRA_CREDENTIAL_*} variables) and {@link dev.orchestra.secret.SecretMasker} (values and
 * their encodings replaced by {@code ****}). Depends on the JDK, {@code dev.orchestra} and Jackson
 * (which reads and writes {@code credentials.json}).
 */
package dev.orchestra.secret;
