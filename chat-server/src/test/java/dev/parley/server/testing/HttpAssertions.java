package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions on the REST API's answers. */
public final class HttpAssertions {
  private HttpAssertions() {
  }

  /** The answer is the contract's error: this status, a JSON body {@code {"error":{code,message}}}. */
  public static void assertError(TestServer.Response r, int status, String code) {
    assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    JsonNode error = r.json().get("error");
    assertThat(error).as("error body of %s", r.body()).isNotNull();
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").isTextual()).isTrue();
    assertThat(error.get("message").asText()).isNotBlank();
  }
}
