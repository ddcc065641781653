package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.secret.CredentialStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CredentialsCommandTest {
  private static final String TOKEN = "ghp_s3cretValue0123456789";

  @TempDir Path home;

  private CliRun run(String stdin, String... args) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == CredentialsCommand.class) {
              return cls.cast(
                  new CredentialsCommand(
                      Map.of("ORCHESTRA_HOME", home.toString()),
                      () -> null,
                      new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
            }
            return defaults.create(cls);
          }
        };
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Orchestra.commandLine(factory);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void addsValueFromStdinWithoutItsTrailingNewline() {
    CliRun add = run(TOKEN + "\n", "credentials", "add", "github");

    assertThat(add.exitCode()).isZero();
    assertThat(add.out()).contains("stored credential 'github'").doesNotContain(TOKEN);
    assertThat(CredentialStore.at(home).get("github")).contains(TOKEN);
  }

  @Test
  void storesAShortValueButWarnsThatItIsNotMasked() {
    CliRun add = run("pin1234", "credentials", "add", "pin");

    assertThat(add.exitCode()).isZero();
    assertThat(add.err())
        .isEqualTo(
            "orchestra: warning: credential 'pin' is 7 characters long; values shorter than 8 are"
                + " not masked in output and records (see docs/security.md)\n");
    assertThat(CredentialStore.at(home).get("pin")).contains("pin1234");
    assertThat(run(TOKEN, "credentials", "add", "long").err()).isEmpty();
  }

  @Test
  void listsNamesButNeverValues() {
    run("value-one", "credentials", "add", "b-token");
    run("value-two", "credentials", "add", "a.key");

    CliRun list = run("", "credentials", "list");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).isEqualTo("a.key\nb-token\n");
  }

  @Test
  void rejectsEmptyValue() {
    CliRun add = run("\n", "credentials", "add", "github");

    assertThat(add.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(add.err()).contains("value of credential 'github' is empty");
    assertThat(CredentialStore.at(home).names()).isEmpty();
  }

  @Test
  void rejectsBadName() {
    CliRun add = run(TOKEN, "credentials", "add", "my token");

    assertThat(add.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(add.err()).contains("bad credential name 'my token'");
  }

  @Test
  void removesStoredCredential() {
    run(TOKEN, "credentials", "add", "github");

    CliRun remove = run("", "credentials", "remove", "github");

    assertThat(remove.exitCode()).isZero();
    assertThat(CredentialStore.at(home).names()).isEmpty();
  }

  @Test
  void refusesToRemoveUnknownNameWithDidYouMean() {
    run(TOKEN, "credentials", "add", "github");

    CliRun remove = run("", "credentials", "remove", "githb");

    assertThat(remove.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(remove.err()).contains("no credential 'githb'").contains("did you mean 'github'?");
    assertThat(CredentialStore.at(home).names()).containsExactly("github");
  }

  @Test
  void keepsValueOutOfStoreFilesInPlaintext() throws Exception {
    run(TOKEN, "credentials", "add", "github");
    try (var files = Files.list(home)) {
      for (Path f : files.toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .doesNotContain(TOKEN);
      }
    }
  }
}
