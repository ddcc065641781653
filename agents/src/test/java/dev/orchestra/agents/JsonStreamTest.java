package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStreamTest {

  @Test
  void anObjectLineIsAnEvent() {
    assertThat(JsonStream.event("  {\"type\":\"init\",\"n\":3}  "))
        .hasValueSatisfying(
            e -> {
              assertThat(JsonStream.text(e, "type")).isEqualTo("init");
              assertThat(JsonStream.number(e, "n")).isEqualTo(3);
              assertThat(JsonStream.number(e, "type")).isZero();
              assertThat(JsonStream.text(e, "missing")).isNull();
            });
  }

  @Test
  void anythingElseIsPlainOutput() {
    assertThat(JsonStream.event("Loading...")).isEmpty();
    assertThat(JsonStream.event("{\"truncated\": ")).isEmpty();
    assertThat(JsonStream.event("[1, 2]")).isEmpty();
    assertThat(JsonStream.event("")).isEmpty();
    assertThat(JsonStream.event(null)).isEmpty();
  }
}
