package dev.parley.server.foundation;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.Jwts;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in accounts over REST: register, login, refresh, me, search (contract 2 and 6). */
class AccountsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static String credentials(String username, String password) {
    return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
  }

  @Test
  void registerAnswers201WithTheUser() {
    String name = TestServer.uniqueName("Reg");
    Response r = server.post("/api/auth/register", null, credentials(name, TestServer.PASSWORD));
    assertThat(r.status()).isEqualTo(201);
    JsonNode user = r.json();
    assertThat(user.get("id").asText()).isNotBlank();
    assertThat(user.get("username").asText()).isEqualTo(name);
    assertThat(user.get("displayName").asText()).isEqualTo(name);
  }

  @Test
  void registerKeepsTheGivenDisplayName() {
    String name = TestServer.uniqueName("disp");
    Response r = server.post("/api/auth/register", null,
        "{\"username\":\"" + name + "\",\"password\":\"password123\",\"displayName\":\"Dee Splay\"}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().get("displayName").asText()).isEqualTo("Dee Splay");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "abcdefghijabcdefghijabcdefghijabc", "bad name", "bad!name", "h\u00e9llo", ""})
  void rejectsBadUsernames(String username) {
    assertError(server.post("/api/auth/register", null, credentials(username, TestServer.PASSWORD)),
        400, "bad_request");
  }

  @Test
  void acceptsUsernamesAtTheLengthLimitsWithEveryAllowedCharacter() {
    assertThat(server.post("/api/auth/register", null, credentials("a.-", TestServer.PASSWORD)).status())
        .isEqualTo(201);
    String longest = "Az09_.-" + "x".repeat(25);
    assertThat(longest).hasSize(32);
    assertThat(server.post("/api/auth/register", null, credentials(longest, TestServer.PASSWORD)).status())
        .isEqualTo(201);
  }

  @Test
  void rejectsPasswordsUnderEightCharacters() {
    String name = TestServer.uniqueName("pw");
    assertError(server.post("/api/auth/register", null, credentials(name, "1234567")), 400, "bad_request");
    assertThat(server.post("/api/auth/register", null, credentials(name, "12345678")).status()).isEqualTo(201);
  }

  @Test
  void rejectsATakenUsernameInAnotherCase() {
    String name = TestServer.uniqueName("Taken");
    assertThat(server.post("/api/auth/register", null, credentials(name, TestServer.PASSWORD)).status())
        .isEqualTo(201);
    assertError(server.post("/api/auth/register", null, credentials(name, TestServer.PASSWORD)), 409, "conflict");
    assertError(server.post("/api/auth/register", null,
        credentials(name.toUpperCase(Locale.ROOT), TestServer.PASSWORD)), 409, "conflict");
    assertError(server.post("/api/auth/register", null,
        credentials(name.toLowerCase(Locale.ROOT), TestServer.PASSWORD)), 409, "conflict");
  }

  @Test
  void loginMatchesAnyCaseAndTheUserKeepsItsSpelling() {
    String name = "MiXed_" + TestServer.uniqueName("Case");
    server.post("/api/auth/register", null, credentials(name, TestServer.PASSWORD));
    for (String variant : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
      Response r = server.post("/api/auth/login", null, credentials(variant, TestServer.PASSWORD));
      assertThat(r.status()).as(variant).isEqualTo(200);
      JsonNode body = r.json();
      assertThat(body.get("access").asText()).isNotBlank();
      assertThat(body.get("refresh").asText()).isNotBlank();
      assertThat(body.get("expiresIn").isIntegralNumber()).isTrue();
      assertThat(body.get("expiresIn").asLong()).isEqualTo(900);
      Response me = server.get("/api/users/me", body.get("access").asText());
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json().get("username").asText()).isEqualTo(name);
    }
  }

  @Test
  void issuesHs256TokensWithTheContractClaims() {
    TestServer.Account a = server.register(TestServer.uniqueName("claims"));
    JsonNode access = Jwts.payload(a.access());
    assertThat(access.get("sub").asText()).isEqualTo(a.id());
    assertThat(access.get("typ").asText()).isEqualTo("access");
    assertThat(access.get("exp").asLong() - access.get("iat").asLong()).isEqualTo(900);
    assertThat(Jwts.payload(a.refresh()).get("typ").asText()).isEqualTo("refresh");
    String header = new String(java.util.Base64.getUrlDecoder().decode(a.access().split("\\.")[0]),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(header).contains("\"HS256\"");
  }

  @Test
  void loginRefusesAWrongPasswordAndAnUnknownUser() {
    String name = TestServer.uniqueName("login");
    server.register(name);
    assertError(server.post("/api/auth/login", null, credentials(name, "wrong-password")), 401, "unauthorized");
    assertError(server.post("/api/auth/login", null, credentials(TestServer.uniqueName("nobody"),
        TestServer.PASSWORD)), 401, "unauthorized");
  }

  @Test
  void refreshIssuesNewTokensForARefreshToken() {
    TestServer.Account a = server.register(TestServer.uniqueName("refr"));
    Response r = server.post("/api/auth/refresh", null, "{\"refresh\":\"" + a.refresh() + "\"}");
    assertThat(r.status()).isEqualTo(200);
    String access = r.json().get("access").asText();
    assertThat(r.json().get("refresh").asText()).isNotBlank();
    assertThat(r.json().get("expiresIn").asLong()).isEqualTo(900);
    assertThat(Jwts.payload(access).get("sub").asText()).isEqualTo(a.id());
    assertThat(server.get("/api/users/me", access).status()).isEqualTo(200);
  }

  @Test
  void refreshRefusesAnAccessTokenAndGarbage() {
    TestServer.Account a = server.register(TestServer.uniqueName("refx"));
    assertError(server.post("/api/auth/refresh", null, "{\"refresh\":\"" + a.access() + "\"}"), 401, "unauthorized");
    assertError(server.post("/api/auth/refresh", null, "{\"refresh\":\"not.a.token\"}"), 401, "unauthorized");
    assertError(server.post("/api/auth/refresh", null, "{\"refresh\":\"garbage\"}"), 401, "unauthorized");
    String forged = Jwts.hmac("HS256", "another-secret-another-secret-0123456789",
        Jwts.claims(a.id(), System.currentTimeMillis() / 1000, System.currentTimeMillis() / 1000 + 600, "refresh"));
    assertError(server.post("/api/auth/refresh", null, "{\"refresh\":\"" + forged + "\"}"), 401, "unauthorized");
  }

  @Test
  void refreshRefusesAnExpiredRefreshToken() {
    try (TestServer shortLived = TestServer.start(b -> b.refreshTtl(Duration.ofSeconds(1)))) {
      TestServer.Account a = shortLived.register(TestServer.uniqueName("exp"));
      long exp = Jwts.payload(a.refresh()).get("exp").asLong();
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> System.currentTimeMillis() >= exp * 1000);
      assertError(shortLived.post("/api/auth/refresh", null, "{\"refresh\":\"" + a.refresh() + "\"}"),
          401, "unauthorized");
    }
  }

  @Test
  void meAnswersTheCallerAndRefusesMissingOrRefreshTokens() {
    TestServer.Account a = server.register(TestServer.uniqueName("me"));
    Response me = server.get("/api/users/me", a.access());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("id").asText()).isEqualTo(a.id());
    assertThat(me.json().get("username").asText()).isEqualTo(a.username());
    assertThat(me.json().get("displayName").asText()).isEqualTo(a.username());
    assertError(server.get("/api/users/me", null), 401, "unauthorized");
    assertError(server.get("/api/users/me", a.refresh()), 401, "unauthorized");
    assertError(server.get("/api/users/me", "garbage"), 401, "unauthorized");
  }

  @Test
  void searchIsACaseInsensitivePrefixOrderedAndCappedAtTwenty() {
    String prefix = "sr" + TestServer.uniqueName("").substring(1, 5);
    List<String> names = new ArrayList<>();
    for (int i = 24; i >= 0; i--) {
      String name = (i % 2 == 0 ? prefix.toUpperCase(Locale.ROOT) : prefix) + String.format("_%02d", i);
      names.add(name);
      server.post("/api/auth/register", null, credentials(name, TestServer.PASSWORD));
    }
    server.post("/api/auth/register", null, credentials("x" + prefix, TestServer.PASSWORD));
    TestServer.Account caller = server.register(TestServer.uniqueName("caller"));

    Response r = server.get("/api/users?q=" + prefix.toUpperCase(Locale.ROOT) + "_", caller.access());
    assertThat(r.status()).isEqualTo(200);
    List<String> found = new ArrayList<>();
    r.json().get("users").forEach(u -> {
      assertThat(u.has("id")).isTrue();
      assertThat(u.has("displayName")).isTrue();
      found.add(u.get("username").asText());
    });
    List<String> expected = names.stream()
        .sorted((x, y) -> x.toLowerCase(Locale.ROOT).compareTo(y.toLowerCase(Locale.ROOT)))
        .limit(20).toList();
    assertThat(found).containsExactlyElementsOf(expected);

    Response one = server.get("/api/users?q=" + prefix + "_07", caller.access());
    assertThat(one.json().get("users")).hasSize(1);
  }

  @Test
  void searchTreatsLikeWildcardsLiterally() {
    TestServer.Account caller = server.register(TestServer.uniqueName("wild"));
    String base = TestServer.uniqueName("w").replace("_", "");
    server.post("/api/auth/register", null, credentials(base + "xy", TestServer.PASSWORD));
    Response underscore = server.get("/api/users?q=" + base + "_", caller.access());
    assertThat(underscore.status()).isEqualTo(200);
    assertThat(underscore.json().get("users")).isEmpty();
  }

  @Test
  void searchRefusesAnEmptyQueryAndAnonymousCallers() {
    TestServer.Account caller = server.register(TestServer.uniqueName("q"));
    assertError(server.get("/api/users?q=", caller.access()), 400, "bad_request");
    assertError(server.get("/api/users", caller.access()), 400, "bad_request");
    assertError(server.get("/api/users?q=abc", null), 401, "unauthorized");
  }

  @Test
  void searchWithLikeSpecialCharactersOrALongQueryIsAnEmptyResultNotAFailure() {
    TestServer.Account caller = server.register(TestServer.uniqueName("special"));
    for (String q : List.of("%25", "!", "%5C", "'", "a%25", "x".repeat(500))) {
      Response r = server.get("/api/users?q=" + q, caller.access());
      assertThat(r.status()).as(q).isEqualTo(200);
      assertThat(r.json().get("users")).as(q).isEmpty();
    }
  }

  @Test
  void authenticatedRoutesAcceptOnlyABearerAccessToken() {
    TestServer.Account a = server.register(TestServer.uniqueName("bearer"));
    java.net.http.HttpRequest.Builder me = java.net.http.HttpRequest.newBuilder(server.uri("/api/users/me"));
    assertThat(server.send(me.copy().header("Authorization", "bearer " + a.access()).build()).status())
        .isEqualTo(200);
    assertError(server.send(me.copy().header("Authorization", "Basic " + a.access()).build()), 401, "unauthorized");
    assertError(server.send(me.copy().header("Authorization", a.access()).build()), 401, "unauthorized");
    assertError(server.send(me.copy().header("Authorization", "Bearer " + Jwts.none(Jwts.accessClaims(a.id(), 60)))
        .build()), 401, "unauthorized");
    assertError(server.send(me.copy().header("Authorization", "Bearer "
        + Jwts.hmac("HS512", TestServer.SECRET, Jwts.accessClaims(a.id(), 60))).build()), 401, "unauthorized");
    assertError(server.get("/api/users/me?token=" + a.access(), null), 401, "unauthorized");
  }
}
