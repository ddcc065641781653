package dev.orchestra.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses an untrusted workflow's {@code context: url} may reach. */
class UrlRuleTest {

  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:8080/x, '127.0.0.1, a loopback address'",
    "http://127.9.9.9/, '127.9.9.9, a loopback address'",
    "http://localhost/, 'a loopback address'",
    "http://[::1]/, '0:0:0:0:0:0:0:1, a loopback address'",
    "http://0.0.0.0/, '0.0.0.0, the unspecified address'",
    "http://[::]/, '0:0:0:0:0:0:0:0, the unspecified address'",
    "http://169.254.169.254/latest/meta-data/, '169.254.169.254, a link-local address'",
    "http://[fe80::1]/, 'a link-local address'",
    "http://10.1.2.3/, '10.1.2.3, a private network address'",
    "http://172.16.0.1/, '172.16.0.1, a private network address'",
    "http://192.168.1.1/, '192.168.1.1, a private network address'",
    "http://[fd12:3456::1]/, 'a private address (fc00::/7)'",
    "http://100.64.0.1/, '100.64.0.1, a shared address (100.64.0.0/10'",
    "http://[::ffff:127.0.0.1]/, '127.0.0.1, a loopback address'",
    "http://[::ffff:10.0.0.1]/, '10.0.0.1, a private network address'",
    "http://[::10.0.0.1]/, 'a private network address'",
    "http://[64:ff9b::a9fe:a9fe]/, 'a link-local address'",
    "http://224.0.0.1/, 'a multicast address'",
    "http://255.255.255.255/, 'a reserved or broadcast address'",
  })
  void refusesAddressesThatAreNotPublic(String url, String reason) throws UnknownHostException {
    Optional<String> refused = UrlRule.refused(URI.create(url), Trust.UNTRUSTED, Set.of());

    assertThat(refused).isPresent();
    assertThat(refused.get())
        .contains(reason)
        .endsWith(
            "; an untrusted workflow may fetch only public addresses (if this is your own workflow"
                + " on your own machine, run it with --trust-local)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://93.184.215.14/index.html",
        "http://8.8.8.8/",
        "http://[2606:4700::6810:85e5]/",
        "http://172.32.0.1/",
        "http://100.128.0.1/"
      })
  void letsPublicAddressesThrough(String url) throws UnknownHostException {
    assertThat(UrlRule.refused(URI.create(url), Trust.UNTRUSTED, Set.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9/", "http://169.254.169.254/", "http://10.0.0.1/"})
  void letsATrustedWorkflowReachAnything(String url) throws UnknownHostException {
    assertThat(UrlRule.refused(URI.create(url), Trust.LOCAL, Set.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/docs", "http://LOCALHOST/x"})
  void letsAllowedHostsThroughOnAnyAddress(String url) throws UnknownHostException {
    assertThat(UrlRule.refused(URI.create(url), Trust.UNTRUSTED, Set.of("127.0.0.1", "localhost")))
        .isEmpty();
  }
}
