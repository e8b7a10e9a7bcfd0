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

/** Contract 7.4's group roles over REST: admins, removing, leaving, renaming, thread events. */
class GroupRolesIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Account user(String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }

  private static Response call(String method, Account actor, String path) {
    return server.request(method, path, actor.access(), null);
  }

  private static Response rename(Account actor, String thread, String json) {
    return server.request("PATCH", "/api/threads/" + thread, actor.access(), json);
  }

  private static boolean threadEvent(JsonNode n, String thread) {
    return "thread".equals(n.path("type").asText()) && thread.equals(n.path("thread").path("id").asText());
  }

  @Test
  void theCreatorNamesAdminsListedOnTheGroupAndEveryMemberIsTold() {
    Account owner = user("owner");
    Account admin = user("admin");
    Account member = user("member");
    String group = server.group(owner, "g", admin, member);
    assertThat(server.get("/api/threads/" + group, member.access()).json().get("admins")).isEmpty();

    try (WsClient m = server.connect(member.access())) {
      assertThat(call("PUT", owner, "/api/threads/" + group + "/admins/" + admin.id()).status()).isEqualTo(204);
      JsonNode event = m.await(n -> threadEvent(n, group) && n.path("thread").path("admins").size() == 1);
      assertThat(event.path("thread").path("admins").get(0).asText()).isEqualTo(admin.id());
    }
    assertThat(call("PUT", owner, "/api/threads/" + group + "/admins/" + admin.id()).status()).isEqualTo(204);
    assertError(call("PUT", admin, "/api/threads/" + group + "/admins/" + member.id()), 403, "forbidden");
    assertError(call("DELETE", member, "/api/threads/" + group + "/admins/" + admin.id()), 403, "forbidden");
    assertError(call("PUT", owner, "/api/threads/no-such-thread/admins/" + admin.id()), 404, "not_found");

    assertThat(call("DELETE", owner, "/api/threads/" + group + "/admins/" + admin.id()).status()).isEqualTo(204);
    assertThat(server.get("/api/threads/" + group, member.access()).json().get("admins")).isEmpty();
    // a direct thread has no admins field
    Response direct = server.post("/api/threads", owner.access(),
        "{\"kind\":\"direct\",\"members\":[\"" + member.id() + "\"]}");
    assertThat(direct.json().has("admins")).isFalse();
  }

  @Test
  void anAdminDeletesAnyonesMessageLikeTheCreatorAndAPlainMemberDoesNot() {
    Account owner = user("owner");
    Account admin = user("admin");
    Account member = user("member");
    String group = server.group(owner, "g", admin, member);
    call("PUT", owner, "/api/threads/" + group + "/admins/" + admin.id());
    Response posted = server.post("/api/threads/" + group + "/messages", member.access(), "{\"body\":\"spam\"}");
    assertThat(posted.status()).as(posted.body()).isEqualTo(201);
    long seq = posted.json().get("seq").asLong();
    Response own = server.post("/api/threads/" + group + "/messages", admin.access(), "{\"body\":\"mine\"}");
    long adminsSeq = own.json().get("seq").asLong();

    // a plain member may not delete the admin's message; the admin may delete the member's
    assertError(call("DELETE", member, "/api/threads/" + group + "/messages/" + adminsSeq), 403, "forbidden");
    Response deleted = call("DELETE", admin, "/api/threads/" + group + "/messages/" + seq);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    JsonNode history = server.get("/api/threads/" + group + "/messages", owner.access()).json().get("messages");
    JsonNode spam = null;
    for (JsonNode m : history) {
      if (m.get("seq").asLong() == seq) {
        spam = m;
      }
    }
    assertThat(spam).isNotNull();
    assertThat(spam.path("deleted").asBoolean()).isTrue();
    assertThat(spam.has("body")).isFalse();

    // once no longer an admin, the same delete is refused again
    call("DELETE", owner, "/api/threads/" + group + "/admins/" + admin.id());
    Response again = server.post("/api/threads/" + group + "/messages", member.access(), "{\"body\":\"again\"}");
    assertError(call("DELETE", admin, "/api/threads/" + group + "/messages/" + again.json().get("seq").asLong()),
        403, "forbidden");
  }

  @Test
  void adminsRemoveMembersAndRenameMembersLeaveAndEveryoneIsTold() {
    Account owner = user("owner");
    Account admin = user("admin");
    Account member = user("member");
    Account other = user("other");
    String group = server.group(owner, "g", admin, member, other);
    call("PUT", owner, "/api/threads/" + group + "/admins/" + admin.id());

    try (WsClient o = server.connect(owner.access()); WsClient m = server.connect(member.access())) {
      Response renamed = rename(admin, group, "{\"title\":\"<script>alert(8)</script>\"}");
      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(renamed.json().get("title").asText()).isEqualTo("<script>alert(8)</script>");
      for (WsClient ws : new WsClient[] {o, m}) {
        ws.await(n -> threadEvent(n, group)
            && "<script>alert(8)</script>".equals(n.path("thread").path("title").asText()));
      }

      assertError(call("DELETE", member, "/api/threads/" + group + "/members/" + other.id()), 403, "forbidden");
      assertThat(call("DELETE", admin, "/api/threads/" + group + "/members/" + other.id()).status())
          .isEqualTo(204);
      o.await(n -> threadEvent(n, group) && n.path("thread").path("members").size() == 3);
      m.await(n -> threadEvent(n, group) && n.path("thread").path("members").size() == 3);

      assertThat(call("DELETE", member, "/api/threads/" + group + "/members/" + member.id()).status())
          .isEqualTo(204);
      m.await(n -> "removed".equals(n.path("type").asText()));
      o.await(n -> threadEvent(n, group) && n.path("thread").path("members").size() == 2);
    }
    assertError(call("DELETE", admin, "/api/threads/" + group + "/members/" + owner.id()), 403, "forbidden");
    assertError(rename(member, group, "{\"title\":\"x\"}"), 403, "forbidden");
  }

  @Test
  void renamingNeedsATitleAGroupAndMembership() {
    Account owner = user("owner");
    Account outsider = user("out");
    String group = server.group(owner, "g");
    assertError(rename(owner, group, "{}"), 400, "bad_request");
    assertError(rename(owner, group, "{\"title\":\"  \"}"), 400, "bad_request");
    assertError(rename(owner, group, "{\"title\":7}"), 400, "bad_request");
    assertError(rename(owner, group, "{\"title\":\"" + "x".repeat(201) + "\"}"), 400, "bad_request");
    assertError(rename(outsider, group, "{\"title\":\"x\"}"), 403, "forbidden");
    assertError(rename(owner, "no-such-thread", "{\"title\":\"x\"}"), 404, "not_found");
  }
}
