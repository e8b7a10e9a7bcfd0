package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Issue 18, accessibility basics: axe-core (vendored in the test resources, never served) checks
 * the sign-in screen, a conversation and the dialogs against WCAG 2 A and AA, in the light and the
 * dark colour scheme; a serious or critical violation fails the test with its rule, the elements
 * and the rule's help page. Keyboard: Tab from the composer reaches the send button, and Esc
 * closes a dialog and gives the focus back to the button that opened it.
 */
@ExtendWith(Browsers.class)
class BrowserAccessibilityIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void conversation() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
    server.post("/api/threads/" + thread + "/messages", bob.access(),
        "{\"body\":\"Hello Alice, see https://example.com and tell me what you think\"}");
  }

  @Test
  void theSignInScreenTheConversationAndTheDialogsPassAxeInBothColourSchemes(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    List<String> found = new ArrayList<>();
    for (String scheme : List.of("light", "dark")) {
      colourScheme(a, scheme); // the media queries follow at once, no reload needed
      if (scheme.equals("light")) {
        found.addAll(violations(a, scheme + ", sign-in screen"));
        a.login("alice");
      }
      a.openThread("bob");
      a.awaitMessage("Hello Alice, see https://example.com and tell me what you think");
      a.send("Thanks Bob");
      a.awaitMessageStatus("Thanks Bob", "sent");
      found.addAll(violations(a, scheme + ", conversation"));
      for (String[] dialog : new String[][] {{"account-button", "account-dialog"}, {"new-group-button", "group-dialog"},
          {"profile-button", "profile-dialog"}}) {
        a.visible(ChatPage.testId(dialog[0])).click();
        a.visible(ChatPage.testId(dialog[1]));
        found.addAll(violations(a, scheme + ", " + dialog[1]));
        new Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
        a.await().until(d -> d.findElement(ChatPage.testId(dialog[1])).getAttribute("open") == null);
      }
    }
    assertThat(found).as("axe-core violations (serious or critical)").isEmpty();
  }

  @Test
  void tabFromTheComposerReachesSendAndEscReturnsTheFocusToTheOpener(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    a.openThread("bob");
    a.composer().sendKeys("typed");
    String reached = null;
    for (int i = 0; i < 4 && !"send-button".equals(reached); i++) {
      new Actions(a.driver()).sendKeys(Keys.TAB).perform();
      reached = (String) a.script("return document.activeElement.getAttribute('data-testid');");
    }
    assertThat(reached).as("Tab from the composer").isEqualTo("send-button");

    for (String[] dialog : new String[][] {{"account-button", "account-dialog"}, {"new-group-button", "group-dialog"},
          {"profile-button", "profile-dialog"}}) {
      WebElement opener = a.visible(ChatPage.testId(dialog[0]));
      opener.click();
      a.visible(ChatPage.testId(dialog[1]));
      assertThat((Boolean) a.script("return arguments[0].contains(document.activeElement);",
          a.driver().findElement(ChatPage.testId(dialog[1])))).as("focus inside " + dialog[1]).isTrue();
      new Actions(a.driver()).sendKeys(Keys.ESCAPE).perform();
      a.await().until(d -> d.findElement(ChatPage.testId(dialog[1])).getAttribute("open") == null);
      a.await().until(d -> dialog[0].equals(a.script(
          "return document.activeElement && document.activeElement.getAttribute('data-testid');")));
    }
  }

  private static void colourScheme(ChatPage page, String scheme) {
    ((ChromeDriver) page.driver()).executeCdpCommand("Emulation.setEmulatedMedia", Map.of(
        "features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** Runs axe-core on the page as it is; one line per serious or critical violation. */
  private static List<String> violations(ChatPage page, String where) {
    page.script(axeSource());
    String json = (String) page.asyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })"
        + ".then((r) => done(JSON.stringify(r.violations"
        + "  .filter((v) => v.impact === 'serious' || v.impact === 'critical')"
        + "  .map((v) => ({ id: v.id, impact: v.impact, help: v.helpUrl,"
        + "    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))))"
        + ".catch((e) => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }])));");
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode v : TestServer.JSON.readTree(json)) {
        out.add(where + ": " + v.get("id").asText() + " (" + v.get("impact").asText() + ") "
            + v.get("targets") + " " + v.get("help").asText());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static String axeSource() {
    try (InputStream in = BrowserAccessibilityIT.class.getResourceAsStream("/axe/axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe/axe.min.js missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
