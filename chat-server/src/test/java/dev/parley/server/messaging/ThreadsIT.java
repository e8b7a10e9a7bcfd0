package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.direct;
import static dev.parley.server.messaging.Chat.memberIds;
import static dev.parley.server.messaging.Chat.messagesOf;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Threads over REST (create, list, get, members) and the thread/removed events on WebSockets. */
class ThreadsIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Response group(Account creator, String jsonBody) {
    return server.post("/api/threads", creator.access(), jsonBody);
  }

  private static String groupBody(String title, String... memberIds) {
    StringBuilder b = new StringBuilder("{\"kind\":\"group\"");
    if (title != null) {
      b.append(",\"title\":\"").append(title).append('"');
    }
    b.append(",\"members\":[");
    for (int i = 0; i < memberIds.length; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(memberIds[i]).append('"');
    }
    return b.append("]}").toString();
  }

  private static Response addMember(Account actor, String thread, String userId) {
    return server.post("/api/threads/" + thread + "/members", actor.access(),
        "{\"userId\":\"" + userId + "\"}");
  }

  private static Response removeMember(Account actor, String thread, String userId) {
    return server.request("DELETE", "/api/threads/" + thread + "/members/" + userId, actor.access(), null);
  }

  private static boolean isThreadEvent(JsonNode n, String thread) {
    return "thread".equals(n.path("type").asText()) && thread.equals(n.path("thread").path("id").asText());
  }

  // ---- create ------------------------------------------------------------------------------

  @Test
  void directThreadIsCreatedOnceAndFoundAgainFromEitherSide() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");

    Response created = direct(server, alice, bob.id());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode thread = created.json();
    assertThat(thread.get("kind").asText()).isEqualTo("direct");
    assertThat(memberIds(thread)).containsExactlyInAnyOrder(alice.id(), bob.id());
    assertThat(thread.get("lastSeq").asLong()).isZero();
    assertThat(thread.has("createdAt")).isTrue();

    Response again = direct(server, alice, bob.id());
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo(thread.get("id").asText());

    Response fromBob = direct(server, bob, alice.id());
    assertThat(fromBob.status()).as(fromBob.body()).isEqualTo(200);
    assertThat(fromBob.json().get("id").asText()).isEqualTo(thread.get("id").asText());
  }

  @Test
  void refusesDirectThreadWithOneself() {
    Account alice = user(server, "alice");
    Response r = direct(server, alice, alice.id());
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("bad_request");
  }

  @Test
  void refusesThreadsWithUnknownUsers() {
    Account alice = user(server, "alice");
    Response d = direct(server, alice, "no-such-user");
    assertThat(d.status()).as(d.body()).isEqualTo(404);
    assertThat(d.errorCode()).isEqualTo("not_found");

    Account bob = user(server, "bob");
    Response g = group(alice, groupBody("tea", bob.id(), "no-such-user"));
    assertThat(g.status()).as(g.body()).isEqualTo(404);
    assertThat(g.errorCode()).isEqualTo("not_found");
  }

  @Test
  void createsGroupWithCreatorIncludedAndDuplicatesIgnored() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Response r = group(alice, groupBody("tea", bob.id(), bob.id(), alice.id()));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode thread = r.json();
    assertThat(thread.get("kind").asText()).isEqualTo("group");
    assertThat(thread.get("title").asText()).isEqualTo("tea");
    assertThat(memberIds(thread)).containsExactlyInAnyOrder(alice.id(), bob.id());

    Response alone = group(alice, groupBody("notes"));
    assertThat(alone.status()).as(alone.body()).isEqualTo(201);
    assertThat(memberIds(alone.json())).containsExactly(alice.id());
  }

  @Test
  void refusesGroupWithoutTitleOrWithBadKind() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Response noTitle = group(alice, groupBody(null, bob.id()));
    assertThat(noTitle.status()).as(noTitle.body()).isEqualTo(400);
    assertThat(noTitle.errorCode()).isEqualTo("bad_request");

    Response badKind = group(alice, "{\"kind\":\"channel\",\"title\":\"x\",\"members\":[\"" + bob.id() + "\"]}");
    assertThat(badKind.status()).as(badKind.body()).isEqualTo(400);
    assertThat(badKind.errorCode()).isEqualTo("bad_request");

    Response noKind = group(alice, "{\"title\":\"x\",\"members\":[\"" + bob.id() + "\"]}");
    assertThat(noKind.status()).as(noKind.body()).isEqualTo(400);
    assertThat(noKind.errorCode()).isEqualTo("bad_request");
  }

  // ---- list --------------------------------------------------------------------------------

  @Test
  void listsMostRecentActivityFirstWithLastMessageAndUnread() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g1 = server.group(alice, "one", bob);
    String g2 = server.group(alice, "two", bob);
    String g3 = server.group(alice, "three", bob);

    List<JsonNode> fresh = threadsOf(alice);
    assertThat(ids(fresh)).containsExactly(g3, g2, g1);
    assertThat(fresh).allSatisfy(t -> {
      assertThat(t.has("lastMessage")).isTrue();
      assertThat(t.get("lastMessage").isNull()).isTrue();
      assertThat(t.get("unread").asLong()).isZero();
    });

    Chat.post(server, bob, g1, "b1");
    Chat.post(server, bob, g1, "b2");
    Chat.post(server, bob, g1, "b3");
    JsonNode mine = Chat.post(server, alice, g1, "a4");
    List<JsonNode> afterG1 = threadsOf(alice);
    assertThat(ids(afterG1)).containsExactly(g1, g3, g2);
    JsonNode first = afterG1.get(0);
    assertThat(first.get("lastMessage").get("id").asText()).isEqualTo(mine.get("id").asText());
    assertThat(first.get("lastMessage").get("body").asText()).isEqualTo("a4");
    assertThat(first.get("unread").asLong()).as("bob's three messages").isEqualTo(3);
    assertThat(find(threadsOf(bob), g1).get("unread").asLong()).as("alice's one message").isEqualTo(1);

    Chat.post(server, bob, g2, "later");
    assertThat(ids(threadsOf(alice))).containsExactly(g2, g1, g3);

    assertThat(server.post("/api/threads/" + g1 + "/read", alice.access(), "{\"seq\":2}").status())
        .isEqualTo(204);
    assertThat(find(threadsOf(alice), g1).get("unread").asLong()).isEqualTo(1);
    // the read position only moves forward
    assertThat(server.post("/api/threads/" + g1 + "/read", alice.access(), "{\"seq\":1}").status())
        .isEqualTo(204);
    assertThat(find(threadsOf(alice), g1).get("unread").asLong()).isEqualTo(1);
    assertThat(server.post("/api/threads/" + g1 + "/read", alice.access(), "{\"seq\":4}").status())
        .isEqualTo(204);
    assertThat(find(threadsOf(alice), g1).get("unread").asLong()).isZero();
  }

  private static List<JsonNode> threadsOf(Account a) {
    Response r = server.get("/api/threads", a.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("threads").forEach(out::add);
    return out;
  }

  private static List<String> ids(List<JsonNode> threads) {
    return threads.stream().map(t -> t.get("id").asText()).toList();
  }

  private static JsonNode find(List<JsonNode> threads, String id) {
    return threads.stream().filter(t -> t.get("id").asText().equals(id)).findFirst().orElseThrow();
  }

  // ---- get ---------------------------------------------------------------------------------

  @Test
  void getsAThreadOnlyForItsMembers() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account eve = user(server, "eve");
    String g = server.group(alice, "tea", bob);

    Response ok = server.get("/api/threads/" + g, bob.access());
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("id").asText()).isEqualTo(g);
    assertThat(memberIds(ok.json())).containsExactlyInAnyOrder(alice.id(), bob.id());

    Response outsider = server.get("/api/threads/" + g, eve.access());
    assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
    assertThat(outsider.errorCode()).isEqualTo("forbidden");

    Response unknown = server.get("/api/threads/no-such-thread", alice.access());
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
  }

  // ---- members -----------------------------------------------------------------------------

  @Test
  void anyMemberAddsMembersAndAddingOneAlreadyInIsANoOp() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    Account eve = user(server, "eve");
    String g = server.group(alice, "tea", bob);

    Response byBob = addMember(bob, g, carol.id());
    assertThat(byBob.status()).as(byBob.body()).isEqualTo(200);
    assertThat(memberIds(byBob.json())).containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id());

    Response again = addMember(alice, g, carol.id());
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(memberIds(again.json())).containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id());

    Response outsider = addMember(eve, g, eve.id());
    assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
    assertThat(outsider.errorCode()).isEqualTo("forbidden");

    Response unknownUser = addMember(alice, g, "no-such-user");
    assertThat(unknownUser.status()).as(unknownUser.body()).isEqualTo(404);

    String d = direct(server, alice, bob.id()).json().get("id").asText();
    Response onDirect = addMember(alice, d, carol.id());
    assertThat(onDirect.status()).as(onDirect.body()).isEqualTo(400);
    assertThat(onDirect.errorCode()).isEqualTo("bad_request");

    assertThat(memberIds(server.get("/api/threads/" + g, alice.access()).json()))
        .containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id());
  }

  @Test
  void removingFollowsTheCreatorAndSelfRules() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    Account dave = user(server, "dave");
    Account eve = user(server, "eve");
    String g = server.group(alice, "tea", bob, carol, dave);

    Response bobRemovesCarol = removeMember(bob, g, carol.id());
    assertThat(bobRemovesCarol.status()).as(bobRemovesCarol.body()).isEqualTo(403);
    assertThat(bobRemovesCarol.errorCode()).isEqualTo("forbidden");

    Response outsider = removeMember(eve, g, carol.id());
    assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
    Response outsiderSelf = removeMember(eve, g, eve.id());
    assertThat(outsiderSelf.status()).as(outsiderSelf.body()).isEqualTo(403);

    Response nonMember = removeMember(alice, g, eve.id());
    assertThat(nonMember.status()).as(nonMember.body()).isEqualTo(404);
    assertThat(nonMember.errorCode()).isEqualTo("not_found");

    Response self = removeMember(dave, g, dave.id());
    assertThat(self.status()).as(self.body()).isEqualTo(204);
    assertThat(self.body()).isEmpty();

    Response creator = removeMember(alice, g, carol.id());
    assertThat(creator.status()).as(creator.body()).isEqualTo(204);

    assertThat(memberIds(server.get("/api/threads/" + g, alice.access()).json()))
        .containsExactlyInAnyOrder(alice.id(), bob.id());
    assertThat(server.get("/api/threads/" + g, carol.access()).status()).isEqualTo(403);

    String d = direct(server, alice, bob.id()).json().get("id").asText();
    Response onDirect = removeMember(alice, d, bob.id());
    assertThat(onDirect.status()).as(onDirect.body()).isEqualTo(400);
    Response selfOnDirect = removeMember(alice, d, alice.id());
    assertThat(selfOnDirect.status()).as(selfOnDirect.body()).isEqualTo(400);
  }

  // ---- events ------------------------------------------------------------------------------

  @Test
  void newThreadEventReachesEveryMemberIncludingTheCreatorAndNobodyElse() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    try (WsClient a = server.connect(alice.access());
         WsClient a2 = server.connect(alice.access());
         WsClient b = server.connect(bob.access());
         WsClient c = server.connect(carol.access())) {
      String g = server.group(alice, "tea", bob);
      for (WsClient ws : List.of(a, a2, b)) {
        JsonNode ev = ws.await(n -> isThreadEvent(n, g));
        assertThat(ev.get("thread").get("title").asText()).isEqualTo("tea");
        assertThat(memberIds(ev.get("thread"))).containsExactlyInAnyOrder(alice.id(), bob.id());
      }

      String d = direct(server, bob, carol.id()).json().get("id").asText();
      b.await(n -> isThreadEvent(n, d));
      c.await(n -> isThreadEvent(n, d));
      // carol got the direct thread's event, and the group's never came before it
      assertThat(c.ofType("thread")).hasSize(1);
      assertThat(a.ofType("thread")).hasSize(1);
    }
  }

  @Test
  void addedMemberGetsTheThreadAndItsMessagesWithoutReconnecting() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    Account carol = user(server, "carol");
    String g = server.group(alice, "tea", bob);
    try (WsClient c = server.connect(carol.access())) {
      Chat.post(server, bob, g, "before carol");
      assertThat(addMember(bob, g, carol.id()).status()).isEqualTo(200);
      JsonNode ev = c.await(n -> isThreadEvent(n, g));
      assertThat(memberIds(ev.get("thread"))).contains(carol.id());

      JsonNode sent = Chat.post(server, alice, g, "welcome carol");
      JsonNode got = c.await(n -> "message".equals(n.path("type").asText()) && g.equals(n.path("thread").asText()));
      assertThat(got.get("id").asText()).isEqualTo(sent.get("id").asText());
      assertThat(got.get("seq").asLong()).isEqualTo(2);
      assertThat(messagesOf(c, g)).hasSize(1);
    }
  }

  @Test
  void removedUserGetsRemovedAndNothingMoreFromThatThread() {
    Account alice = user(server, "alice");
    Account bob = user(server, "bob");
    String g = server.group(alice, "tea", bob);
    String other = server.group(alice, "coffee", bob);
    try (WsClient b = server.connect(bob.access()); WsClient b2 = server.connect(bob.access())) {
      Chat.post(server, alice, g, "while bob is in");
      Chat.awaitMessages(b, g, 1, java.time.Duration.ofSeconds(10));

      assertThat(removeMember(alice, g, bob.id()).status()).isEqualTo(204);
      for (WsClient ws : List.of(b, b2)) {
        JsonNode removed = ws.await(n -> "removed".equals(n.path("type").asText()));
        assertThat(removed.get("thread").asText()).isEqualTo(g);
      }

      Chat.post(server, alice, g, "after bob left");
      // a later message of a thread bob is still in: once it arrives, the earlier one would have too
      Chat.post(server, alice, other, "barrier");
      Chat.awaitMessages(b, other, 1, java.time.Duration.ofSeconds(10));
      Chat.awaitMessages(b2, other, 1, java.time.Duration.ofSeconds(10));
      assertThat(messagesOf(b, g)).extracting(n -> n.get("body").asText()).containsExactly("while bob is in");
      assertThat(messagesOf(b2, g)).extracting(n -> n.get("body").asText()).containsExactly("while bob is in");

      b.send(Chat.sendFrame("s1", g, "let me back", null));
      JsonNode err = b.awaitId("s1");
      assertThat(err.get("type").asText()).isEqualTo("error");
      assertThat(err.get("code").asText()).isEqualTo("forbidden");
    }
  }
}
