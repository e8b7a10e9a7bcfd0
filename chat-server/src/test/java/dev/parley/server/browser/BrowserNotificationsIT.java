package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.push.WebPushCrypto;
import dev.parley.core.store.PushSubscriptionRecord;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web client's notifications (issue 17, contract 7.5) in headless Chromium: the service
 * worker, the push subscription, notifications from pushes and their clicks, and the unread count
 * in the title and favicon. No push service can be reached from here, so
 * {@code pushManager.subscribe} is stubbed in the page, the permission is granted and pushes are
 * delivered through the DevTools protocol.
 */
@ExtendWith(Browsers.class)
class BrowserNotificationsIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest(b -> b.pushAllowLocal(true));

  private static final String AWAIT_WORKER = "const done = arguments[arguments.length - 1];"
      + "navigator.serviceWorker.ready.then((r) => done(r.active ? r.active.scriptURL : null), () => done(null));";

  private ChatPage signIn(Browsers browsers, Account who) {
    ChatPage page = new ChatPage(browsers.open(who.username(), 1024, 768), server).open();
    page.login(who.username());
    return page;
  }

  private void grantNotifications(ChatPage page) {
    ((ChromeDriver) page.driver()).executeCdpCommand("Browser.grantPermissions", Map.of(
        "permissions", List.of("notifications"), "origin", origin()));
  }

  private String origin() {
    String uri = server.uri("/").toString();
    return uri.substring(0, uri.length() - 1);
  }

  private String send(Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":" + TestServer.JSON.valueToTree(body) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asText();
  }

  @Test
  void theWorkerIsRegisteredAtOnceButPermissionIsAskedOnlyFromTheSettingsAndTheSubscriptionIsPosted(
      Browsers browsers) throws Exception {
    Account bob = server.register("bob");
    ChatPage b = signIn(browsers, bob);
    assertThat((String) b.asyncScript(AWAIT_WORKER)).isEqualTo(server.uri("/sw.js").toString());
    // the first load asked nothing
    assertThat(b.script("return Notification.permission;")).isEqualTo("default");
    assertThat(b.script("return document.querySelector('[data-testid=notify-state]').textContent;"))
        .isEqualTo("Off.");

    // a browser's subscription, made here because no push service is reachable from the test
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String p256dh = WebPushCrypto.base64Url(WebPushCrypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic()));
    byte[] authBytes = new byte[16];
    new SecureRandom().nextBytes(authBytes);
    String auth = WebPushCrypto.base64Url(authBytes);
    String endpoint = server.uri("/stand-in/push/bob").toString();
    b.script("const [endpoint, p256dh, auth] = arguments;"
        + "window.subscribedWith = null;"
        + "PushManager.prototype.getSubscription = async function () { return window.fakeSubscription || null; };"
        + "PushManager.prototype.subscribe = async function (options) {"
        + "  window.subscribedWith = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)))"
        + "    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');"
        + "  window.fakeSubscription = { endpoint, options,"
        + "    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),"
        + "    unsubscribe: async () => { window.fakeSubscription = null; return true; } };"
        + "  return window.fakeSubscription;"
        + "};", endpoint, p256dh, auth);
    grantNotifications(b);

    b.visible(ChatPage.testId("account-button")).click();
    b.visible(ChatPage.testId("notify-toggle")).click();
    b.await().until(d -> b.script("return document.querySelector('[data-testid=notify-state]').textContent;")
        .toString().startsWith("On:"));

    String serverKey = server.get("/api/push/key", null).json().get("publicKey").asText();
    assertThat(b.script("return window.subscribedWith;")).isEqualTo(serverKey);
    List<PushSubscriptionRecord> stored = server.server().engine().store().pushSubscriptions(List.of(bob.id()));
    assertThat(stored).singleElement().satisfies(s -> {
      assertThat(s.endpoint()).isEqualTo(endpoint);
      assertThat(s.p256dh()).isEqualTo(p256dh);
      assertThat(s.auth()).isEqualTo(auth);
    });
    String id = stored.get(0).id();
    assertThat(b.script("return JSON.parse(localStorage.getItem('parley.push.' + arguments[0])).id;", bob.id()))
        .isEqualTo(id);

    // turning it off (the dialog is still open) deletes it on the server and in the browser
    b.visible(ChatPage.testId("notify-toggle")).click();
    b.await().until(d -> "Off.".equals(
        b.script("return document.querySelector('[data-testid=notify-state]').textContent;")));
    assertThat(server.server().engine().store().pushSubscriptions(List.of(bob.id()))).isEmpty();
    assertThat(b.script("return window.fakeSubscription;")).isNull();

    // on again, then signing out deletes the server's copy too, while the session still holds
    b.visible(ChatPage.testId("notify-toggle")).click();
    b.await().until(d -> server.server().engine().store().pushSubscriptions(List.of(bob.id())).size() == 1);
    b.script("document.getElementById('account-dialog').close();");
    b.visible(ChatPage.testId("logout-button")).click();
    b.await().until(d -> server.server().engine().store().pushSubscriptions(List.of(bob.id())).isEmpty());
    assertThat(b.script("return localStorage.getItem('parley.push.' + arguments[0]);", bob.id())).isNull();
  }

  @Test
  void aPushShowsANotificationAndItsClickOpensTheConversation(Browsers browsers) {
    Account alice = server.register("alice");
    Account bob = server.register("bob");
    String thread = server.direct(alice, bob);
    ChatPage b = signIn(browsers, bob);
    grantNotifications(b);
    assertThat((String) b.asyncScript(AWAIT_WORKER)).endsWith("/sw.js");

    String payload = "{\"type\":\"message\",\"thread\":\"" + thread + "\",\"seq\":1,"
        + "\"sender\":{\"id\":\"" + alice.id() + "\",\"displayName\":\"Alice <b>A</b>\"},\"preview\":\"Lunch?\"}";
    ChromeDriver driver = (ChromeDriver) b.driver();
    driver.executeCdpCommand("ServiceWorker.enable", Map.of());

    String shown = "const done = arguments[arguments.length - 1];"
        + "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => done(ns.map((n) =>"
        + "  ({ title: n.title, body: n.body, tag: n.tag, thread: n.data && n.data.thread }))));";
    // The registration's id cannot be read through executeCdpCommand (it comes in CDP events): a
    // fresh profile's first registration is 0, so deliver there, and to the next few ids in case
    // the browser counted otherwise, until the notification shows. Repeats replace each other
    // (one tag per thread), which the single-notification assertion below also checks.
    b.await().until(d -> {
      for (String registration : List.of("0", "1", "2", "3")) {
        try {
          driver.executeCdpCommand("ServiceWorker.deliverPushMessage",
              Map.of("origin", origin(), "registrationId", registration, "data", payload));
        } catch (org.openqa.selenium.WebDriverException noSuchRegistration) {
          // not this id
        }
      }
      return !((List<?>) b.asyncScript(shown)).isEmpty();
    });
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notifications = (List<Map<String, Object>>) b.asyncScript(shown);
    assertThat(notifications).singleElement().satisfies(n -> {
      assertThat(n.get("title")).isEqualTo("Alice <b>A</b>");
      assertThat(n.get("body")).isEqualTo("Lunch?");
      assertThat(n.get("tag")).isEqualTo("thread:" + thread);
      assertThat(n.get("thread")).isEqualTo(thread);
    });

    // what a click does: the worker sends the open tab to the conversation
    assertThat(b.script("return location.hash;")).isEqualTo("");
    b.script("navigator.serviceWorker.ready.then((r) => r.active.postMessage({ type: 'open-thread', thread: arguments[0] }));",
        thread);
    b.await().until(d -> ("#/t/" + thread).equals(b.script("return location.hash;")));
    b.awaitOpen("alice");
  }

  @Test
  void theTitleAndFaviconCountUnreadMessagesAndMutedThreadsStaySilent(Browsers browsers) {
    Account alice = server.register("alice");
    Account bob = server.register("bob");
    Account carol = server.register("carol");
    String withAlice = server.direct(alice, bob);
    String withCarol = server.direct(carol, bob);
    assertThat(server.request("PUT", "/api/threads/" + withCarol + "/mute", bob.access(), null).status())
        .isEqualTo(204);
    ChatPage b = signIn(browsers, bob);
    b.awaitConnection("connected");
    assertThat(b.driver().getTitle()).isEqualTo("Parley");
    assertThat(favicon(b)).isEqualTo("/favicon.svg");

    for (int i = 1; i <= 3; i++) {
      send(alice, withAlice, "hello " + i);
    }
    b.await().until(d -> "(3) Parley".equals(d.getTitle()));
    assertThat(favicon(b)).isEqualTo("/badge/3.svg");

    // away (another window has the focus), with notifications and the sound on: a beep and a
    // notification from the open tab (a connected user gets no push), none for the muted thread
    grantNotifications(b);
    assertThat((String) b.asyncScript(AWAIT_WORKER)).endsWith("/sw.js");
    b.script("localStorage.setItem('parley.push.' + arguments[0], JSON.stringify({ id: 'x', endpoint: 'e' }));"
        + "localStorage.setItem('parley.sound', 'on'); document.hasFocus = () => false;", bob.id());
    send(carol, withCarol, "muted news");
    send(alice, withAlice, "hello 4");
    b.await().until(d -> "(4) Parley".equals(d.getTitle()));
    assertThat(b.script("return window.parley.chat.threads.get(arguments[0]).unread;", withCarol)).isEqualTo(1L);
    assertThat(b.script("return window.parley.notifications.sounds;")).isEqualTo(1L);
    String shown = "const done = arguments[arguments.length - 1];"
        + "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => done(ns.map((n) => n.tag + ' ' + n.body)));";
    b.await().until(d -> !((List<?>) b.asyncScript(shown)).isEmpty());
    assertThat(b.asyncScript(shown)).isEqualTo(List.of("thread:" + withAlice + " hello 4"));
    for (int i = 5; i <= 11; i++) {
      send(alice, withAlice, "hello " + i);
    }
    b.await().until(d -> "(11) Parley".equals(d.getTitle()));
    assertThat(favicon(b)).isEqualTo("/badge/many.svg");

    b.script("delete document.hasFocus;");
    b.openThread("alice");
    b.await().until(d -> "Parley".equals(d.getTitle()));
    assertThat(favicon(b)).isEqualTo("/favicon.svg");
    assertThat(server.get("/badge/many.svg", null).headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(server.get("/sw.js", null).headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
  }

  private static String favicon(ChatPage page) {
    return (String) page.script("return document.querySelector('link[rel=icon]').getAttribute('href');");
  }
}
