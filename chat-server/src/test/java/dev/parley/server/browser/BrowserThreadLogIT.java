package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Replies, edits, deletions and reactions in the web client (issue 15), between two people in two
 * real browsers, live on both sides, and as they stand after a reload and a reconnect.
 */
@ExtendWith(Browsers.class)
class BrowserThreadLogIT {
  private static final String THUMBS_UP = "👍";
  private static final String HEART = "❤️";
  private static final By TOMBSTONE = By.xpath(
      "//li[@data-testid='message'][.//*[@data-testid='message-tombstone']]");

  private TestServer server;
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;
  private final Map<String, WsClient> sockets = new HashMap<>();
  private int frames;

  @BeforeEach
  void aliceAndBobHaveAConversation() {
    server = TestServer.start();
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
  }

  @AfterEach
  void stopServer() {
    sockets.values().forEach(WsClient::close);
    server.close();
  }

  @Test
  void aReplyQuotesTheOriginalOnBothSidesAndTheQuoteScrollsToIt(Browsers browsers) {
    int original = post(alice, "{\"body\":\"where shall we meet?\"}");
    for (int i = 1; i <= 60; i++) {
      post(bob, "{\"body\":\"filler " + i + "\"}");
    }
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    b.awaitMessage("filler 60");
    assertThat(b.countMessages("where shall we meet?")).as("not in bob's latest page").isZero();

    // alice scrolls up to the question and replies to it
    a.await().until(d -> {
      a.script("document.getElementById('message-scroller').scrollTop = 0;");
      return a.countMessages("where shall we meet?") == 1;
    });
    act(a, "where shall we meet?", "reply-button");
    WebElement context = a.visible(ChatPage.testId("compose-context"));
    assertThat(context.getAttribute("data-mode")).isEqualTo("reply");
    assertThat(context.getText()).contains("Replying to", "where shall we meet?");
    a.send("at the station");
    a.awaitMessageStatus("at the station", "sent");
    a.await().until(d -> !context.isDisplayed());

    // both see the quote above the reply, bob although the original is not in his loaded pages
    for (ChatPage p : List.of(a, b)) {
      p.await().until(d -> quoteText(p, "at the station").contains("where shall we meet?"));
      assertThat(p.script("const li = arguments[0];"
          + "const q = li.querySelector('[data-testid=reply-quote]');"
          + "const body = li.querySelector('[data-testid=message-body]');"
          + "return !!(q.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING);",
          p.awaitMessage("at the station"))).as("quote above the body").isEqualTo(true);
    }
    JsonNode reply = history(alice).get(history(alice).size() - 1);
    assertThat(reply.get("body").asText()).isEqualTo("at the station");
    assertThat(reply.get("replyTo").asInt()).isEqualTo(original);

    // bob clicks the quote: older pages load, the original comes into view, highlighted
    clickQuote(b, "at the station");
    awaitInViewAndHighlighted(b, "where shall we meet?");
    // alice has it loaded already: her view just scrolls back up to it
    clickQuote(a, "at the station");
    awaitInViewAndHighlighted(a, "where shall we meet?");
  }

  @Test
  void onlyTheAuthorEditsEscCancelsAndBothSeeTheEditedMarker(Browsers browsers) {
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    a.send("see you at 5");
    a.awaitMessageStatus("see you at 5", "sent");
    b.awaitMessage("see you at 5");

    // bob may reply to alice's message and react to it, but not edit or delete it
    hover(b, "see you at 5");
    WebElement theirs = b.awaitMessage("see you at 5");
    assertThat(theirs.findElements(ChatPage.testId("reply-button"))).hasSize(1);
    assertThat(theirs.findElements(ChatPage.testId("react-button"))).hasSize(1);
    assertThat(theirs.findElements(ChatPage.testId("edit-button"))).isEmpty();
    assertThat(theirs.findElements(ChatPage.testId("delete-button"))).isEmpty();

    // alice starts editing with a draft in the composer, and Esc gives the draft back
    a.composer().sendKeys("half a thought");
    act(a, "see you at 5", "edit-button");
    a.await().until(d -> "see you at 5".equals(a.composer().getAttribute("value")));
    assertThat(a.visible(ChatPage.testId("compose-context")).getAttribute("data-mode")).isEqualTo("edit");
    a.composer().sendKeys(Keys.ESCAPE);
    a.await().until(d -> "half a thought".equals(a.composer().getAttribute("value")));
    assertThat(a.driver().findElement(ChatPage.testId("compose-context")).isDisplayed()).isFalse();
    assertThat(a.awaitMessage("see you at 5").findElements(ChatPage.testId("edited-marker"))).isEmpty();

    act(a, "see you at 5", "edit-button");
    a.await().until(d -> "see you at 5".equals(a.composer().getAttribute("value")));
    a.composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, "see you at 6", Keys.ENTER);
    for (ChatPage p : List.of(a, b)) {
      p.await().until(d -> !p.awaitMessage("see you at 6").findElements(ChatPage.testId("edited-marker")).isEmpty());
      assertThat(p.countMessages("see you at 5")).isZero();
    }
    // the composer is back to the draft, and nothing new was sent
    assertThat(a.composer().getAttribute("value")).isEqualTo("half a thought");
    assertThat(a.bodies()).containsExactly("see you at 6");
    JsonNode message = history(alice).get(0);
    assertThat(message.get("body").asText()).isEqualTo("see you at 6");
    assertThat(message.has("editedAt")).isTrue();
  }

  @Test
  void deletingAsksForConfirmationThenLeavesATombstoneOnBothSides(Browsers browsers) {
    post(alice, "{\"body\":\"hi bob\"}");
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    a.send("wrong chat, sorry");
    a.awaitMessageStatus("wrong chat, sorry", "sent");
    b.awaitMessage("wrong chat, sorry");
    b.await().until(d -> previewOf(b, "alice").contains("wrong chat, sorry"));

    // cancelling the confirmation deletes nothing
    act(a, "wrong chat, sorry", "delete-button");
    WebElement dialog = a.visible(ChatPage.testId("delete-dialog"));
    assertThat(dialog.getText()).contains("wrong chat, sorry");
    a.visible(ChatPage.testId("delete-cancel")).click();
    a.await().until(d -> !dialog.isDisplayed());
    assertThat(a.countMessages("wrong chat, sorry")).isEqualTo(1);
    assertThat(history(alice)).hasSize(2);

    act(a, "wrong chat, sorry", "delete-button");
    a.visible(ChatPage.testId("delete-confirm")).click();
    for (ChatPage p : List.of(a, b)) {
      p.await().until(d -> p.countMessages("wrong chat, sorry") == 0);
      WebElement tomb = p.visible(TOMBSTONE);
      assertThat(tomb.getText()).contains("Message deleted");
      assertThat(tomb.findElements(ChatPage.testId("message-actions"))).isEmpty();
      assertThat(p.bodies()).containsExactly("hi bob");
    }
    // bob's list previews the newest message still there
    b.await().until(d -> previewOf(b, "alice").contains("hi bob"));
    JsonNode deleted = history(bob).get(1);
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(deleted.has("body")).isFalse();
  }

  @Test
  void aGroupsCreatorMayDeleteAnyMessageOtherMembersOnlyTheirOwn(Browsers browsers) {
    TestServer.Account carol = server.register("carol");
    String group = server.group(carol, "Book club", alice, bob);
    TestServer.Response spoiler = server.post("/api/threads/" + group + "/messages", bob.access(),
        "{\"body\":\"spoiler: the butler did it\"}");
    assertThat(spoiler.status()).as(spoiler.body()).isEqualTo(201);
    ChatPage c = signedIn(browsers, carol, "Book club");
    ChatPage a = signedIn(browsers, alice, "Book club");
    a.send("no spoilers please");
    a.awaitMessageStatus("no spoilers please", "sent");

    // alice may delete her own message but not bob's
    hover(a, "spoiler: the butler did it");
    assertThat(a.awaitMessage("spoiler: the butler did it").findElements(ChatPage.testId("delete-button")))
        .isEmpty();
    hover(a, "no spoilers please");
    assertThat(a.awaitMessage("no spoilers please").findElements(ChatPage.testId("delete-button"))).hasSize(1);
    assertThat(a.awaitMessage("no spoilers please").findElements(ChatPage.testId("edit-button"))).hasSize(1);

    // carol created the group: she deletes bob's message, but cannot edit it
    c.awaitMessage("no spoilers please");
    hover(c, "spoiler: the butler did it");
    assertThat(c.awaitMessage("spoiler: the butler did it").findElements(ChatPage.testId("edit-button"))).isEmpty();
    act(c, "spoiler: the butler did it", "delete-button");
    c.visible(ChatPage.testId("delete-confirm")).click();
    for (ChatPage p : List.of(a, c)) {
      p.await().until(d -> p.countMessages("spoiler: the butler did it") == 0);
      assertThat(p.visible(TOMBSTONE).getText()).contains("Message deleted");
      assertThat(p.bodies()).containsExactly("no spoilers please");
    }
  }

  @Test
  void reactionsShowCountsAndWhoReactedAndToggle(Browsers browsers) {
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    a.send("pizza tonight?");
    a.awaitMessageStatus("pizza tonight?", "sent");
    b.awaitMessage("pizza tonight?");

    // bob picks 👍 from the picker
    act(b, "pizza tonight?", "react-button");
    b.visible(By.cssSelector("[data-testid='reaction-option'][data-emoji='" + THUMBS_UP + "']")).click();
    awaitReaction(a, THUMBS_UP, 1, "bob", false);
    awaitReaction(b, THUMBS_UP, 1, "You", true);
    b.await().until(d -> b.driver().findElements(ChatPage.testId("reaction-picker")).isEmpty());

    // alice joins in by tapping bob's 👍, then adds ❤️ from the picker
    reaction(a, THUMBS_UP).click();
    awaitReaction(a, THUMBS_UP, 2, "bob, You", true);
    awaitReaction(b, THUMBS_UP, 2, "You, alice", true);
    act(a, "pizza tonight?", "react-button");
    a.visible(By.cssSelector("[data-testid='reaction-option'][data-emoji='" + HEART + "']")).click();
    awaitReaction(b, HEART, 1, "alice", false);

    // tapping her own 👍 takes it back; bob takes his back through the picker
    reaction(a, THUMBS_UP).click();
    awaitReaction(b, THUMBS_UP, 1, "You", true);
    awaitReaction(a, THUMBS_UP, 1, "bob", false);
    act(b, "pizza tonight?", "react-button");
    b.visible(By.cssSelector("[data-testid='reaction-option'][data-emoji='" + THUMBS_UP + "']")).click();
    for (ChatPage p : List.of(a, b)) {
      p.await().until(d -> reactionsShown(p).equals(List.of(HEART)));
    }
    JsonNode reactions = history(bob).get(0).get("reactions");
    assertThat(reactions.size()).isEqualTo(1);
    assertThat(reactions.get(HEART).get(0).asText()).isEqualTo(alice.id());
    // reacting is not a message: no unread count for anyone, nothing new in the conversation
    assertThat(a.bodies()).containsExactly("pizza tonight?");
    assertThat(b.unread("alice")).isZero();
  }

  @Test
  void afterAReloadAndAReconnectEverythingIsInItsCurrentState(Browsers browsers) {
    int question = post(alice, "{\"body\":\"who brings the cake?\"}");
    int typo = post(bob, "{\"body\":\"I will, tomorow\"}");
    int regret = post(bob, "{\"body\":\"and the candles, maybe\"}");
    log(bob, "\"type\":\"send\",\"body\":\"me!\",\"replyTo\":" + question);
    log(alice, react(typo, THUMBS_UP, true));
    log(bob, "\"type\":\"edit\",\"target\":" + typo + ",\"body\":\"I will, tomorrow\"");
    log(bob, "\"type\":\"delete\",\"target\":" + regret);

    // opened after the changes: the history gives the current state
    ChatPage a = signedIn(browsers, alice, "bob");
    assertCurrentState(a);

    // changes made while alice's client is offline come back through sync when it reconnects
    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    log(alice, "\"type\":\"edit\",\"target\":" + question + ",\"body\":\"who brings the chocolate cake?\"");
    log(bob, react(question, HEART, true));
    a.script("window.parley.conn.start();");
    a.awaitConnection("connected");
    a.await().until(d -> a.countMessages("who brings the chocolate cake?") == 1);
    awaitReaction(a, HEART, 1, "bob", false);
    a.await().until(d -> quoteText(a, "me!").contains("who brings the chocolate cake?"));
    // a message after the changes arrives although its seq skips theirs
    post(bob, "{\"body\":\"done\"}");
    a.awaitMessage("done");

    a.reload();
    a.openThread("bob");
    assertCurrentState(a);
    a.awaitMessage("done");
    assertThat(a.awaitMessage("who brings the chocolate cake?").findElements(ChatPage.testId("edited-marker")))
        .hasSize(1);
    awaitReaction(a, HEART, 1, "bob", false);
    assertThat(a.bodies()).containsExactly("who brings the chocolate cake?", "I will, tomorrow", "me!", "done");
  }

  @Test
  void withTheSocketDownChangesGoThroughTheRestTwins(Browsers browsers) {
    ChatPage a = signedIn(browsers, alice, "bob");
    ChatPage b = signedIn(browsers, bob, "alice");
    a.send("back in 5");
    a.awaitMessageStatus("back in 5", "sent");
    b.awaitMessage("back in 5");

    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    act(a, "back in 5", "edit-button");
    a.await().until(d -> "back in 5".equals(a.composer().getAttribute("value")));
    a.composer().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, "back in 10", Keys.ENTER);
    act(a, "back in 10", "react-button");
    a.visible(By.cssSelector("[data-testid='reaction-option'][data-emoji='" + THUMBS_UP + "']")).click();
    for (ChatPage p : List.of(a, b)) {
      p.await().until(d -> p.countMessages("back in 10") == 1
          && !p.awaitMessage("back in 10").findElements(ChatPage.testId("edited-marker")).isEmpty());
    }
    awaitReaction(a, THUMBS_UP, 1, "You", true);
    awaitReaction(b, THUMBS_UP, 1, "alice", false);

    // back online, sync replays those entries: the same state, nothing twice
    a.script("window.parley.conn.start();");
    a.awaitConnection("connected");
    post(bob, "{\"body\":\"ok\"}");
    a.awaitMessage("ok");
    awaitReaction(a, THUMBS_UP, 1, "You", true);
    assertThat(a.bodies()).containsExactly("back in 10", "ok");
  }

  @Test
  void changesAreNeitherUnreadNorMoveAConversationUpTheList(Browsers browsers) {
    TestServer.Account carol = server.register("carol");
    int old = post(alice, "{\"body\":\"old news\"}");
    server.post("/api/threads/" + thread + "/read", bob.access(), "{\"seq\":" + old + "}");
    String carolThread = server.direct(carol, bob);
    TestServer.Response fresh = server.post("/api/threads/" + carolThread + "/messages", carol.access(),
        "{\"body\":\"fresh news\"}");
    assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);
    server.post("/api/threads/" + carolThread + "/read", bob.access(),
        "{\"seq\":" + fresh.json().get("seq").asInt() + "}");

    ChatPage b = new ChatPage(browsers.open("bob", 1280, 800), server).open();
    b.login("bob");
    b.await().until(d -> threadOrder(b).equals(List.of("carol", "alice")));

    log(alice, react(old, THUMBS_UP, true));
    log(alice, "\"type\":\"edit\",\"target\":" + old + ",\"body\":\"old news, corrected\"");
    b.await().until(d -> previewOf(b, "alice").contains("old news, corrected"));
    assertThat(threadOrder(b)).containsExactly("carol", "alice");
    assertThat(b.unread("alice")).isZero();

    // a new message does move it up and count, and taking it back uncounts it
    int late = post(alice, "{\"body\":\"late news\"}");
    b.await().until(d -> threadOrder(b).equals(List.of("alice", "carol")) && b.unread("alice") == 1);
    log(alice, "\"type\":\"delete\",\"target\":" + late);
    b.await().until(d -> b.unread("alice") == 0 && previewOf(b, "alice").contains("old news, corrected"));
  }

  // ---- helpers ----

  private ChatPage signedIn(Browsers browsers, TestServer.Account account, String peer) {
    ChatPage page = new ChatPage(browsers.open(account.username(), 1280, 800), server).open();
    page.login(account.username());
    // the list re-renders as presence and threads arrive: click again if the item was replaced
    page.await().until(d -> {
      page.threadItem(peer).findElement(By.tagName("button")).click();
      return true;
    });
    page.awaitOpen(peer);
    return page;
  }

  /** Posts a message over REST; returns its seq. */
  private int post(TestServer.Account from, String json) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(), json);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asInt();
  }

  /**
   * Sends a frame of the thread log (send with replyTo, edit, delete, react) on the user's own
   * WebSocket, as another client of theirs would, and waits for its ack; returns the entry's seq.
   */
  private int log(TestServer.Account by, String fields) {
    WsClient ws = sockets.computeIfAbsent(by.id(), id -> server.connect(by.access()));
    String id = "f" + frames++;
    ws.send("{\"id\":\"" + id + "\",\"thread\":\"" + thread + "\"," + fields + "}");
    JsonNode answer = ws.awaitId(id);
    assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("ack");
    return answer.get("seq").asInt();
  }

  private static String react(int target, String emoji, boolean on) {
    return "\"type\":\"react\",\"target\":" + target + ",\"emoji\":\"" + emoji + "\",\"on\":" + on;
  }

  private JsonNode history(TestServer.Account as) {
    TestServer.Response r = server.get("/api/threads/" + thread + "/messages", as.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("messages");
  }

  /** Moves the pointer over a message, which shows its actions. */
  private static void hover(ChatPage p, String body) {
    p.await().until(d -> {
      new Actions(d).moveToElement(d.findElement(ChatPage.messageWithBody(body))).perform();
      return d.findElement(ChatPage.messageWithBody(body)).findElement(ChatPage.testId("message-actions"))
          .isDisplayed();
    });
  }

  /** Clicks one of a message's actions (reply-button, react-button, edit-button, delete-button). */
  private static void act(ChatPage p, String body, String action) {
    p.await().ignoring(ElementClickInterceptedException.class).until(d -> {
      WebElement message = d.findElement(ChatPage.messageWithBody(body));
      new Actions(d).moveToElement(message).perform();
      WebElement button = message.findElement(ChatPage.testId(action));
      if (!button.isDisplayed()) {
        return false;
      }
      button.click();
      return true;
    });
  }

  private static String quoteText(ChatPage p, String body) {
    return p.awaitMessage(body).findElement(ChatPage.testId("reply-quote")).getText();
  }

  private static void clickQuote(ChatPage p, String body) {
    p.await().until(d -> {
      p.awaitMessage(body).findElement(ChatPage.testId("reply-quote")).click();
      return true;
    });
  }

  private static void awaitInViewAndHighlighted(ChatPage p, String body) {
    p.await().until(d -> {
      List<WebElement> found = d.findElements(ChatPage.messageWithBody(body));
      if (found.isEmpty()) {
        return false;
      }
      WebElement el = found.get(0);
      Object inView = p.script("const r = arguments[0].getBoundingClientRect();"
          + "const v = document.getElementById('message-scroller').getBoundingClientRect();"
          + "return r.top >= v.top - 1 && r.bottom <= v.bottom + 1;", el);
      return Boolean.TRUE.equals(inView) && "true".equals(el.getAttribute("data-highlight"));
    });
  }

  private static WebElement reaction(ChatPage p, String emoji) {
    return p.visible(By.cssSelector("[data-testid='reaction'][data-emoji='" + emoji + "']"));
  }

  /** Waits until the reaction shows this count, these names and whether it is the viewer's. */
  private static void awaitReaction(ChatPage p, String emoji, int count, String who, boolean mine) {
    p.await().until(d -> {
      List<WebElement> chips = d.findElements(By.cssSelector(
          "[data-testid='reaction'][data-emoji='" + emoji + "']"));
      if (chips.isEmpty()) {
        return false;
      }
      WebElement chip = chips.get(0);
      return String.valueOf(count).equals(chip.findElement(ChatPage.testId("reaction-count")).getText())
          && who.equals(chip.getAttribute("title"))
          && String.valueOf(mine).equals(chip.getAttribute("aria-pressed"));
    });
  }

  private static List<String> reactionsShown(ChatPage p) {
    return p.driver().findElements(ChatPage.testId("reaction")).stream()
        .map(e -> e.getAttribute("data-emoji")).collect(Collectors.toList());
  }

  private static String previewOf(ChatPage p, String title) {
    return p.threadItem(title).findElement(ChatPage.testId("thread-preview")).getText();
  }

  private static List<String> threadOrder(ChatPage p) {
    return p.driver().findElements(ChatPage.testId("thread-item")).stream()
        .map(e -> e.getAttribute("data-title")).collect(Collectors.toList());
  }

  /** The state of the conversation made in the reload test, as history or sync bring it. */
  private static void assertCurrentState(ChatPage a) {
    a.await().until(d -> a.countMessages("I will, tomorrow") == 1);
    assertThat(a.countMessages("I will, tomorow")).isZero();
    assertThat(a.awaitMessage("I will, tomorrow").findElements(ChatPage.testId("edited-marker"))).hasSize(1);
    assertThat(a.countMessages("and the candles, maybe")).isZero();
    assertThat(a.visible(TOMBSTONE).getText()).contains("Message deleted");
    awaitReaction(a, THUMBS_UP, 1, "You", true);
    a.await().until(d -> quoteText(a, "me!").contains("who brings"));
  }
}
