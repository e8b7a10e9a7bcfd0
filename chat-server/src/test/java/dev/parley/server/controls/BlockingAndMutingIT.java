package dev.parley.server.controls;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Contract 7.4 over REST and the WebSocket: blocking users and muting threads. */
class BlockingAndMutingIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Account user(String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }

  private static Response put(Account actor, String path) {
    return server.request("PUT", path, actor.access(), null);
  }

  private static Response delete(Account actor, String path) {
    return server.request("DELETE", path, actor.access(), null);
  }

  private static Response direct(Account from, Account to) {
    return server.post("/api/threads", from.access(),
        "{\"kind\":\"direct\",\"members\":[\"" + to.id() + "\"]}");
  }

  @Test
  void blockingIsIdempotentAndListed() {
    Account ann = user("ann");
    Account ben = user("ben");

    assertThat(put(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);
    assertThat(put(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);
    Response list = server.get("/api/users/me/blocks", ann.access());
    assertThat(list.status()).isEqualTo(200);
    JsonNode users = list.json().get("users");
    assertThat(users).hasSize(1);
    assertThat(users.get(0).get("id").asText()).isEqualTo(ben.id());
    assertThat(users.get(0).get("username").asText()).isEqualTo(ben.username());
    assertThat(users.get(0).has("displayName")).isTrue();

    assertThat(delete(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);
    assertThat(delete(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);
    assertThat(server.get("/api/users/me/blocks", ann.access()).json().get("users")).isEmpty();
  }

  @Test
  void blockingYourselfOrNobodyIsADocumentedError() {
    Account ann = user("ann");
    assertError(put(ann, "/api/users/" + ann.id() + "/block"), 400, "bad_request");
    assertError(put(ann, "/api/users/no-such-user/block"), 404, "not_found");
    assertError(server.request("PUT", "/api/users/" + ann.id() + "/block", null, null), 401, "unauthorized");
  }

  @Test
  void theBlockedUserCannotOpenSendOrAddButTheSharedGroupWorks() {
    Account ann = user("ann");
    Account ben = user("ben");
    Account cat = user("cat");
    String directId = direct(ann, ben).json().get("id").asText();
    String shared = server.group(cat, "shared", ann, ben);
    String bens = server.group(ben, "bens", cat);
    assertThat(put(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);

    assertError(direct(ben, ann), 403, "forbidden"); // even though it exists
    assertError(server.post("/api/threads/" + directId + "/messages", ben.access(), "{\"body\":\"hi\"}"),
        403, "forbidden");
    assertError(server.post("/api/threads/" + bens + "/members", ben.access(),
        "{\"userId\":\"" + ann.id() + "\"}"), 403, "forbidden");
    assertError(server.post("/api/threads", ben.access(),
        "{\"kind\":\"group\",\"title\":\"x\",\"members\":[\"" + ann.id() + "\"]}"), 403, "forbidden");
    assertThat(direct(ann, ben).status()).isEqualTo(200);

    try (WsClient b = server.connect(ben.access()); WsClient a = server.connect(ann.access())) {
      b.send("{\"type\":\"send\",\"id\":\"s1\",\"thread\":\"" + directId + "\",\"body\":\"hi\"}");
      JsonNode error = b.awaitId("s1");
      assertThat(error.get("type").asText()).isEqualTo("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");

      b.send("{\"type\":\"typing\",\"thread\":\"" + shared + "\"}");
      a.await(n -> "typing".equals(n.path("type").asText()));
      a.send("{\"type\":\"typing\",\"thread\":\"" + shared + "\"}");
      b.send("{\"type\":\"send\",\"id\":\"s2\",\"thread\":\"" + shared + "\",\"body\":\"group\"}");
      assertThat(b.awaitId("s2").get("type").asText()).isEqualTo("ack");
      // barrier: a message ann sends after her typing reaches ben after it would have
      a.send("{\"type\":\"send\",\"id\":\"s3\",\"thread\":\"" + shared + "\",\"body\":\"barrier\"}");
      b.await(n -> "barrier".equals(n.path("body").asText()));
      assertThat(b.ofType("typing")).isEmpty();
      assertThat(b.ofType("presence")).noneMatch(p -> ann.id().equals(p.path("user").asText()));

      b.send("{\"type\":\"presence\",\"id\":\"q\",\"users\":[\"" + ann.id() + "\"]}");
      assertThat(b.awaitId("q").path("users").path(ann.id()).asText()).isEqualTo("offline");
    }

    assertThat(delete(ann, "/api/users/" + ben.id() + "/block").status()).isEqualTo(204);
    assertThat(server.post("/api/threads/" + directId + "/messages", ben.access(), "{\"body\":\"hi\"}")
        .status()).isEqualTo(201);
  }

  @Test
  void muteShowsOnTheThreadForThatUserOnly() {
    Account ann = user("ann");
    Account ben = user("ben");
    String group = server.group(ann, "g", ben);

    assertThat(put(ben, "/api/threads/" + group + "/mute").status()).isEqualTo(204);
    assertThat(put(ben, "/api/threads/" + group + "/mute").status()).isEqualTo(204);
    assertThat(server.get("/api/threads/" + group, ben.access()).json().get("muted").asBoolean()).isTrue();
    assertThat(server.get("/api/threads/" + group, ann.access()).json().has("muted")).isFalse();
    JsonNode listed = server.get("/api/threads", ben.access()).json().get("threads").get(0);
    assertThat(listed.get("id").asText()).isEqualTo(group);
    assertThat(listed.get("muted").asBoolean()).isTrue();

    assertThat(delete(ben, "/api/threads/" + group + "/mute").status()).isEqualTo(204);
    assertThat(server.get("/api/threads/" + group, ben.access()).json().has("muted")).isFalse();
  }

  @Test
  void mutingAThreadYouAreNotInIsForbiddenAndAnUnknownOneNotFound() {
    Account ann = user("ann");
    Account outsider = user("out");
    String group = server.group(ann, "g");
    assertError(put(outsider, "/api/threads/" + group + "/mute"), 403, "forbidden");
    assertError(delete(outsider, "/api/threads/" + group + "/mute"), 403, "forbidden");
    assertError(put(outsider, "/api/threads/no-such-thread/mute"), 404, "not_found");
  }
}
