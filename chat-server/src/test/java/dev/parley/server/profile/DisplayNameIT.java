package dev.parley.server.profile;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PATCH /api/users/me over real HTTP: the display name changes, is validated, others see it. */
class DisplayNameIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static String body(String displayName) throws Exception {
    return TestServer.JSON.writeValueAsString(java.util.Map.of("displayName", displayName));
  }

  @Test
  void changesTheNameTrimmedAndOthersSeeItInTheThreadList() throws Exception {
    Account a = server.register(TestServer.uniqueName("dn"));
    Account b = server.register(TestServer.uniqueName("dn"));
    String thread = server.direct(a, b);

    Response r = server.request("PATCH", "/api/users/me", a.access(), body("  Ada \u00e9 Lovelace  "));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("displayName").asText()).isEqualTo("Ada \u00e9 Lovelace");
    assertThat(r.json().get("username").asText()).isEqualTo(a.username());
    assertThat(server.get("/api/users/me", a.access()).json().get("displayName").asText())
        .isEqualTo("Ada \u00e9 Lovelace");
    assertThat(server.get("/api/threads", b.access()).body()).contains("Ada \u00e9 Lovelace")
        .contains(thread);
  }

  @Test
  void acceptsSixtyFourCharactersAndRefusesSixtyFive() throws Exception {
    Account a = server.register(TestServer.uniqueName("dn"));
    assertThat(server.request("PATCH", "/api/users/me", a.access(), body("x".repeat(64))).status())
        .isEqualTo(200);
    assertError(server.request("PATCH", "/api/users/me", a.access(), body("x".repeat(65))),
        400, "bad_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "a\u0000b", "tab\there", "new\nline", "rtl\u202eoverride",
      "zero\u200bwidth", "bell\u0007"})
  void refusesEmptyOrControlCharacters(String name) throws Exception {
    Account a = server.register(TestServer.uniqueName("dn"));
    assertError(server.request("PATCH", "/api/users/me", a.access(), body(name)), 400, "bad_request");
    assertThat(server.get("/api/users/me", a.access()).json().get("displayName").asText())
        .isEqualTo(a.username());
  }

  @Test
  void refusesAMissingNameAndAnonymousCallers() {
    Account a = server.register(TestServer.uniqueName("dn"));
    assertError(server.request("PATCH", "/api/users/me", a.access(), "{}"), 400, "bad_request");
    assertThat(server.request("PATCH", "/api/users/me", null, "{\"displayName\":\"x\"}").status())
        .isEqualTo(401);
  }
}
