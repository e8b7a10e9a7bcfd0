package dev.parley.server.notifications;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.notifications.PushService;
import dev.parley.server.notifications.PushServiceStandIn.Browser;
import dev.parley.server.notifications.PushServiceStandIn.Received;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Web Push (contract 7.5) against a push-service stand-in that checks VAPID and decrypts. */
class PushIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.pushAllowLocal(true)
      .pushSubject("mailto:ops@parley.test"));

  static PushServiceStandIn pushService;

  @BeforeAll
  static void startPushService() throws Exception {
    pushService = new PushServiceStandIn();
  }

  @AfterAll
  static void stopPushService() {
    pushService.close();
  }

  private static PushService push() {
    return server.server().engine().push();
  }

  private static String subscribe(Account who, Browser browser, String endpoint) {
    TestServer.Response r = server.post("/api/push/subscriptions", who.access(),
        browser.subscriptionJson(endpoint));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private static long send(Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":" + TestServer.JSON.valueToTree(body) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asLong();
  }

  private static String key() {
    TestServer.Response r = server.get("/api/push/key", null);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("publicKey").asText();
  }

  @Test
  void keyIsAnUncompressedP256PointKeptAcrossRestarts() {
    String key = key();
    byte[] point = Base64.getUrlDecoder().decode(key);
    assertThat(point).hasSize(65);
    assertThat(point[0]).isEqualTo((byte) 4);
    server.restart();
    assertThat(key()).isEqualTo(key);
  }

  @Test
  void aMemberWithNoConnectionGetsAnEncryptedSignedPush() throws Exception {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.group(alice, "push", bob);
    Browser browser = new Browser();
    Browser aliceBrowser = new Browser();
    String path = "/push/" + bob.id();
    subscribe(bob, browser, pushService.endpoint(bob.id()));
    subscribe(alice, aliceBrowser, pushService.endpoint(alice.id())); // the sender gets none
    String body = "h\u00e9llo \uD83D\uDE00 " + "x".repeat(120);
    long handledBefore = push().messagesHandled();
    long seq = send(alice, thread, body);

    await().atMost(Duration.ofSeconds(30)).until(() -> !pushService.at(path).isEmpty());
    Received r = pushService.at(path).get(0);
    assertThat(r.header("Content-Encoding")).isEqualTo("aes128gcm");
    assertThat(Long.parseLong(r.header("TTL"))).isPositive();
    DecodedJWT jwt = PushServiceStandIn.verifyVapid(r, key());
    assertThat(jwt.getAudience()).containsExactly(pushService.origin());
    assertThat(jwt.getSubject()).isEqualTo("mailto:ops@parley.test");
    assertThat(jwt.getExpiresAtAsInstant()).isAfter(Instant.now())
        .isBefore(Instant.now().plus(Duration.ofHours(24)));

    JsonNode payload = TestServer.JSON.readTree(browser.decrypt(r.body()));
    String preview = body.substring(0, body.offsetByCodePoints(0, 100));
    JsonNode expected = TestServer.JSON.readTree("{\"type\":\"message\",\"thread\":\"" + thread
        + "\",\"seq\":" + seq + ",\"sender\":{\"id\":\"" + alice.id() + "\",\"displayName\":\""
        + alice.username() + "\"},\"preview\":" + TestServer.JSON.valueToTree(preview) + "}");
    assertThat(payload).isEqualTo(expected);
    await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore);
    assertThat(pushService.at("/push/" + alice.id())).isEmpty();
  }

  @Test
  void aConnectedMemberGetsNoPush() {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    Account carol = server.register(TestServer.uniqueName("carol"));
    String thread = server.group(alice, "online", bob, carol);
    subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    subscribe(carol, new Browser(), pushService.endpoint(carol.id()));
    try (WsClient ws = server.connect(bob.access())) {
      long handledBefore = push().messagesHandled();
      long seq = send(alice, thread, "are you there");
      ws.await(f -> f.path("type").asText().equals("message") && f.path("seq").asLong() == seq);
      // the barrier: every test waits for its messages to be handled, so the count going up is
      // this message's pushes decided and sent (carol's among them)
      await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore
          && !pushService.at("/push/" + carol.id()).isEmpty());
      assertThat(pushService.at("/push/" + bob.id())).isEmpty();
    }
  }

  @Test
  void everyoneConnectedIsNoPushAndLeavingRightAfterIsOne() {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.group(alice, "everyone", bob);
    subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    String path = "/push/" + bob.id();
    try (WsClient ws = server.connect(bob.access())) {
      // the first message reads the members on a push thread; the later ones, within a second,
      // are decided on the event thread from that read: all of them handled, none pushed
      for (int i = 0; i < 3; i++) {
        long handledBefore = push().messagesHandled();
        long seq = send(alice, thread, "here " + i);
        ws.await(f -> f.path("type").asText().equals("message") && f.path("seq").asLong() == seq);
        await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore);
      }
      assertThat(pushService.at(path)).isEmpty();
    }
    // presence is read live on either path: bob gone, the next message is pushed to him
    await().atMost(Duration.ofSeconds(30))
        .until(() -> !server.server().engine().presence().isConnected(bob.id()));
    send(alice, thread, "gone?");
    await().atMost(Duration.ofSeconds(30)).until(() -> !pushService.at(path).isEmpty());
    assertThat(pushService.at(path)).hasSize(1);
  }

  @Test
  void aMemberWhoMutedTheThreadGetsNoPush() {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    Account carol = server.register(TestServer.uniqueName("carol"));
    String thread = server.group(alice, "muted", bob, carol);
    subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    subscribe(carol, new Browser(), pushService.endpoint(carol.id()));
    TestServer.Response muted = server.request("PUT", "/api/threads/" + thread + "/mute", bob.access(), null);
    assertThat(muted.status()).as(muted.body()).isEqualTo(204);

    long handledBefore = push().messagesHandled();
    send(alice, thread, "lunch?");
    // barrier: carol, who did not mute, got this message's push, so bob's was decided too
    await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore
        && !pushService.at("/push/" + carol.id()).isEmpty());
    assertThat(pushService.at("/push/" + bob.id())).isEmpty();
  }

  @Test
  void goneSubscriptionsAreDeletedAndServerErrorsRetried() {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    Account carol = server.register(TestServer.uniqueName("carol"));
    String thread = server.group(alice, "errors", bob, carol);
    String gonePath = "/push/" + bob.id();
    String flakyPath = "/push/" + carol.id();
    pushService.answer(gonePath, 410);
    pushService.answer(flakyPath, 503, 429);
    String goneId = subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    Browser carolBrowser = new Browser();
    subscribe(carol, carolBrowser, pushService.endpoint(carol.id()));
    double goneBefore = sends("gone");
    double retriedBefore = sends("retried");
    double sentBefore = sends("sent");
    long handledBefore = push().messagesHandled();
    long seq = send(alice, thread, "retry me");
    await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore);

    await().atMost(Duration.ofSeconds(30)).until(() ->
        server.server().engine().store().pushSubscriptions(List.of(bob.id())).isEmpty());
    assertError(server.request("DELETE", "/api/push/subscriptions/" + goneId, bob.access(), null),
        404, "not_found");
    await().atMost(Duration.ofSeconds(60)).until(() -> pushService.at(flakyPath).size() >= 3);
    List<Received> tries = pushService.at(flakyPath);
    for (Received r : tries) {
      JsonNode payload;
      try {
        payload = TestServer.JSON.readTree(carolBrowser.decrypt(r.body()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(payload.get("seq").asLong()).isEqualTo(seq);
    }
    // the outcomes on /metrics: one gone, two retried (503, 429), then sent
    await().atMost(Duration.ofSeconds(30)).until(() -> sends("sent") >= sentBefore + 1);
    assertThat(sends("gone")).isEqualTo(goneBefore + 1);
    assertThat(sends("retried")).isEqualTo(retriedBefore + 2);
  }

  /** {@code chat_push_sends_total{outcome="..."}} as /metrics shows it now. */
  private static double sends(String outcome) {
    String prefix = "chat_push_sends_total{outcome=\"" + outcome + "\"} ";
    return server.get("/metrics", null).body().lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "on /metrics"));
  }

  @Test
  void redirectsFromThePushServiceAreNotFollowed() {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.group(alice, "redirect", bob);
    String path = "/push/" + bob.id();
    pushService.answer(path, 302);
    subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    long handledBefore = push().messagesHandled();
    send(alice, thread, "follow me");
    await().atMost(Duration.ofSeconds(30)).until(() -> !pushService.at(path).isEmpty());
    // the send is synchronous inside the message's handling: once handled, a followed redirect
    // would have been made already
    await().atMost(Duration.ofSeconds(30)).until(() -> push().messagesHandled() > handledBefore);
    assertThat(pushService.at("/redirected" + path)).isEmpty();
  }

  @Test
  void badSubscriptionsGetAClearErrorAndStoreNothing() {
    Account bob = server.register(TestServer.uniqueName("bob"));
    Browser b = new Browser();
    String good = b.subscriptionJson(pushService.endpoint("x"));
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String p256dh = enc.encodeToString(b.publicKey);
    String auth = enc.encodeToString(b.auth);
    byte[] offCurve = b.publicKey.clone();
    offCurve[64] ^= 1;
    List<String> bad = List.of(
        good.replace(pushService.origin(), "http://example.com"), // not https, not loopback
        good.replace(pushService.origin(), "https://10.1.2.3"), // private
        good.replace(pushService.origin(), "https://169.254.169.254"), // link-local (metadata)
        good.replace(pushService.origin(), "https://192.168.1.1"),
        good.replace(pushService.origin(), "https://[fd00::1]"),
        good.replace(pushService.origin(), "ftp://example.com"),
        good.replace(p256dh, enc.encodeToString(java.util.Arrays.copyOf(b.publicKey, 64))),
        good.replace(p256dh, enc.encodeToString(offCurve)),
        good.replace(auth, enc.encodeToString(new byte[8])),
        good.replace(auth, "not base64!"),
        "{\"endpoint\":\"" + pushService.endpoint("x") + "\"}",
        good.replace("\"expirationTime\":null", "\"expirationTime\":null,\"pad\":\"" + "p".repeat(5000) + "\""));
    for (String json : bad) {
      TestServer.Response r = server.post("/api/push/subscriptions", bob.access(), json);
      assertError(r, 400, "bad_request");
    }
    assertThat(server.server().engine().store().pushSubscriptions(List.of(bob.id()))).isEmpty();
    assertError(server.post("/api/push/subscriptions", null, good), 401, "unauthorized");
  }

  @Test
  void theEleventhSubscriptionDropsTheOldest() {
    Account bob = server.register(TestServer.uniqueName("bob"));
    String first = null;
    for (int i = 0; i < 11; i++) {
      String id = subscribe(bob, new Browser(), pushService.endpoint(bob.id() + "-" + i));
      if (i == 0) {
        first = id;
      }
    }
    assertThat(server.server().engine().store().pushSubscriptions(List.of(bob.id()))).hasSize(10)
        .noneMatch(s -> s.endpoint().endsWith("-0"));
    assertError(server.request("DELETE", "/api/push/subscriptions/" + first, bob.access(), null),
        404, "not_found");
  }

  @Test
  void unsubscribingIsOwnSubscriptionsOnly() {
    Account bob = server.register(TestServer.uniqueName("bob"));
    Account eve = server.register(TestServer.uniqueName("eve"));
    String id = subscribe(bob, new Browser(), pushService.endpoint(bob.id()));
    assertError(server.request("DELETE", "/api/push/subscriptions/" + id, eve.access(), null),
        404, "not_found");
    assertThat(server.request("DELETE", "/api/push/subscriptions/" + id, bob.access(), null).status())
        .isEqualTo(204);
  }
}
