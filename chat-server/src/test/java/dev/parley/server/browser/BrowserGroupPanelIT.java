package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The group info panel of the web client (issue 16 item 4, contract section 6 and 7.4): roles,
 * rename, add, remove, leave, each followed live by the other members' clients.
 */
@ExtendWith(Browsers.class)
class BrowserGroupPanelIT {
  private static final By PANEL = ChatPage.testId("group-panel");
  private static final By ERROR = ChatPage.testId("group-panel-error");

  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private TestServer.Account carol;

  @BeforeEach
  void accounts() {
    alice = server.register("alice");
    bob = server.register("bob");
    carol = server.register("carol");
  }

  @Test
  void theCreatorNamesAnAdminWhoRenamesAndRemovesWhileTheOthersFollowLive(Browsers browsers) {
    String group = server.group(alice, "Plans", bob, carol);
    ChatPage a = signedIn(browsers, "alice");
    ChatPage b = signedIn(browsers, "bob");
    ChatPage c = signedIn(browsers, "carol");
    a.openThread("Plans");
    b.openThread("Plans");
    c.openThread("Plans");

    // carol, a plain member: no working rename or remove controls...
    openPanel(c);
    assertThat(c.visible(ChatPage.testId("group-rename-input")).isEnabled()).isFalse();
    assertThat(c.driver().findElement(ChatPage.testId("group-rename")).isEnabled()).isFalse();
    assertThat(c.visible(ChatPage.testId("group-rename-hint")).getText())
        .contains("Only the group’s creator and admins can rename it");
    assertThat(shownButtons(c, "member-remove")).isEmpty();
    assertThat(shownButtons(c, "member-admin-toggle")).isEmpty();
    assertThat(role(c, "alice")).isEqualTo("creator");
    assertThat(role(c, "carol")).isEqualTo("member");
    // ...and when forced, the server's refusal is shown, nothing changes
    c.script("const i = document.getElementById('group-rename-input'); i.disabled = false; i.value = 'Mine now';"
        + " const s = document.querySelector(\"[data-testid='group-rename']\"); s.disabled = false; s.click();");
    c.await().until(ExpectedConditions.textToBePresentInElementLocated(ERROR,
        "The server refused to rename the group. Only the group's creator and admins may rename it."));
    c.script("const r = document.querySelector(\"[data-testid='group-member'][data-username='bob']"
        + " [data-testid='member-remove']\"); r.hidden = false; r.click();");
    c.await().until(ExpectedConditions.textToBePresentInElementLocated(ERROR,
        "The server refused to remove @bob. Only the group's creator and admins may remove other members."));
    TestServer.Response unchanged = server.get("/api/threads/" + group, alice.access());
    assertThat(unchanged.json().path("title").asText()).isEqualTo("Plans");
    assertThat(unchanged.json().path("members").size()).isEqualTo(3);

    // alice makes bob an admin; bob's and carol's open panels follow
    openPanel(b);
    assertThat(b.driver().findElement(ChatPage.testId("group-rename-input")).isEnabled()).isFalse();
    openPanel(a);
    WebElement toggle = member(a, "bob").findElement(ChatPage.testId("member-admin-toggle"));
    assertThat(toggle.getText()).isEqualTo("Make admin");
    assertThat(toggle.getAttribute("aria-label")).isEqualTo("Make @bob an admin");
    toggle.click();
    a.await().until(d -> "admin".equals(role(a, "bob")));
    assertThat(member(a, "bob").findElement(ChatPage.testId("member-admin-toggle")).getText()).isEqualTo("Remove admin");
    b.await().until(d -> d.findElement(ChatPage.testId("group-rename-input")).isEnabled());
    c.await().until(d -> "admin".equals(role(c, "bob")));
    a.visible(ChatPage.testId("group-panel-close")).click();
    a.await().until(d -> !isOpen(a));

    // bob renames; alice and carol see the new title without a reload
    WebElement title = b.driver().findElement(ChatPage.testId("group-rename-input"));
    title.clear();
    title.sendKeys("Plans v2", Keys.ENTER);
    b.await().until(ExpectedConditions.textToBe(ChatPage.testId("group-panel-title"), "Plans v2"));
    a.await().until(ExpectedConditions.textToBe(ChatPage.testId("conversation-title"), "Plans v2"));
    a.threadItem("Plans v2");
    c.await().until(ExpectedConditions.textToBe(ChatPage.testId("group-panel-title"), "Plans v2"));
    c.await().until(ExpectedConditions.textToBe(ChatPage.testId("conversation-title"), "Plans v2"));

    // bob, an admin, may remove carol but not alice; carol's client lets the group go
    assertThat(member(b, "alice").findElement(ChatPage.testId("member-remove")).isDisplayed()).isFalse();
    member(b, "carol").findElement(ChatPage.testId("member-remove")).click();
    // the notice shows for 4 s: look for it first
    c.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".toast"),
        "You were removed from “Plans v2”."));
    b.await().until(d -> d.findElements(memberBy("carol")).isEmpty());
    c.await().until(d -> !isOpen(c));
    c.await().until(d -> d.findElements(By.cssSelector("[data-testid='thread-item'][data-title='Plans v2']")).isEmpty());
    c.await().until(ExpectedConditions.attributeToBe(By.id("conversation"), "data-empty", "true"));
    a.await().until(d -> !d.findElement(ChatPage.testId("conversation-sub")).getText().contains("carol"));
    assertThat(server.get("/api/threads/" + group, carol.access()).status()).isEqualTo(403);
  }

  @Test
  void addingPicksAUserAndLeavingAsksFirstThenTakesTheGroupOffTheList(Browsers browsers) {
    String group = server.group(alice, "Trip", bob);
    ChatPage a = signedIn(browsers, "alice");
    a.openThread("Trip");
    openPanel(a);

    // anyone already in is not offered; a new member is picked by username
    WebElement search = a.visible(ChatPage.testId("group-add-search"));
    search.sendKeys("bo");
    a.await().until(ExpectedConditions.textToBePresentInElementLocated(ChatPage.testId("group-add-results"), "No one found"));
    search.clear();
    search.sendKeys("car");
    a.visible(By.cssSelector("[data-testid='group-add-results'] [data-testid='user-result'][data-username='carol']")).click();
    a.visible(memberBy("carol"));
    assertThat(role(a, "carol")).isEqualTo("member");
    assertThat(a.visible(ChatPage.testId("group-panel-done")).getText()).isEqualTo("Added @carol.");
    assertThat(server.get("/api/threads/" + group, carol.access()).status()).isEqualTo(200);

    // leaving asks first; Stay keeps everything as it was
    a.visible(ChatPage.testId("group-leave")).click();
    assertThat(a.visible(ChatPage.testId("group-leave-question")).getText())
        .startsWith("Leave “Trip”?").contains("You created it");
    assertThat(a.script("return document.activeElement.dataset.testid")).isEqualTo("group-leave-cancel");
    a.driver().findElement(ChatPage.testId("group-leave-cancel")).click();
    a.await().until(ExpectedConditions.invisibilityOfElementLocated(ChatPage.testId("group-leave-confirm-box")));
    assertThat(server.get("/api/threads/" + group, alice.access()).status()).isEqualTo(200);

    a.visible(ChatPage.testId("group-leave")).click();
    a.visible(ChatPage.testId("group-leave-confirm")).click();
    a.await().until(d -> !isOpen(a));
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='thread-item'][data-title='Trip']")).isEmpty());
    a.await().until(ExpectedConditions.attributeToBe(By.id("conversation"), "data-empty", "true"));
    assertThat(server.get("/api/threads/" + group, alice.access()).status()).isEqualTo(403);
    assertThat(server.get("/api/threads/" + group, bob.access()).json().path("members").findValuesAsText("username"))
        .containsExactlyInAnyOrder("bob", "carol");
    // not back after a reload either
    a.reload();
    a.visible(By.id("thread-empty"));
    assertThat(a.driver().findElements(ChatPage.testId("thread-item"))).isEmpty();
  }

  @Test
  void aHostileTitleShowsAsTextAndEscClosesThePanelBackToItsOpener(Browsers browsers) {
    String hostile = "<img src=x onerror=alert(1)>";
    server.group(alice, hostile, bob);
    server.direct(alice, bob);
    ChatPage a = signedIn(browsers, "alice");
    a.openThread("bob");
    assertThat(a.driver().findElement(ChatPage.testId("group-info-button")).isDisplayed())
        .as("a direct chat has no group panel").isFalse();

    a.openThread(hostile);
    openPanel(a);
    assertThat(a.script("return document.getElementById('group-panel').contains(document.activeElement)"))
        .as("focus moves into the panel").isEqualTo(true);
    assertThat(a.visible(ChatPage.testId("group-panel-title")).getText()).isEqualTo(hostile);
    assertThat(a.driver().findElement(ChatPage.testId("group-rename-input")).getAttribute("value")).isEqualTo(hostile);
    assertThat(a.driver().findElements(By.cssSelector("#group-panel img, .conv-head img, #thread-list img"))).isEmpty();
    assertThat(a.script("const out = [];"
        + " for (const el of document.querySelectorAll('#group-panel button, #group-panel input')) {"
        + "   if (el.closest('[hidden]')) continue;"
        + "   const name = (el.getAttribute('aria-label') || [...(el.labels || [])].map((l) => l.textContent).join('')"
        + "     || el.textContent).trim();"
        + "   if (!name) out.push(el.outerHTML);"
        + " }"
        + " return out;")).as("controls without an accessible name").isEqualTo(List.of());

    String bold = "<b>bold</b> & <i>";
    WebElement title = a.driver().findElement(ChatPage.testId("group-rename-input"));
    title.clear();
    title.sendKeys(bold, Keys.ENTER);
    a.await().until(ExpectedConditions.textToBe(ChatPage.testId("group-panel-title"), bold));
    a.await().until(ExpectedConditions.textToBe(ChatPage.testId("conversation-title"), bold));
    a.threadItem(bold);
    assertThat(a.driver().findElements(By.cssSelector("#group-panel b, .conv-head b, #thread-list b"))).isEmpty();

    new Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
    a.await().until(d -> !isOpen(a));
    assertThat(a.script("return document.activeElement.dataset.testid")).as("focus back on the opener")
        .isEqualTo("group-info-button");
  }

  private ChatPage signedIn(Browsers browsers, String username) {
    ChatPage page = new ChatPage(browsers.open(username, 1280, 800), server).open();
    page.login(username);
    return page;
  }

  private static void openPanel(ChatPage page) {
    page.visible(ChatPage.testId("group-info-button")).click();
    page.await().until(d -> isOpen(page));
    page.visible(ChatPage.testId("group-member-list"));
  }

  private static boolean isOpen(ChatPage page) {
    return page.driver().findElement(PANEL).getAttribute("open") != null;
  }

  private static By memberBy(String username) {
    return By.cssSelector("[data-testid='group-member'][data-username='" + username + "']");
  }

  private static WebElement member(ChatPage page, String username) {
    return page.visible(memberBy(username));
  }

  private static String role(ChatPage page, String username) {
    WebElement row = member(page, username);
    assertThat(row.findElement(ChatPage.testId("member-role")).getText()).isEqualTo(row.getAttribute("data-role"));
    return row.getAttribute("data-role");
  }

  private static List<WebElement> shownButtons(ChatPage page, String testId) {
    return page.driver().findElements(By.cssSelector("#group-panel [data-testid='" + testId + "']")).stream()
        .filter(WebElement::isDisplayed).toList();
  }
}
