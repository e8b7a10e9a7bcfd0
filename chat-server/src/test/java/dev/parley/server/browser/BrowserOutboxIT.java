package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What one person types is stored in the order it was typed: the client's outbox is one queue,
 * sent one message at a time and retried in order when the server asks it to slow down or the
 * connection comes back. A message that cannot be sent says so, also in the conversation list,
 * and discarding it gives its text back.
 */
@ExtendWith(Browsers.class)
class BrowserOutboxIT {
  // a small burst, so that quick sends certainly run into the rate limit
  @RegisterExtension
  final TestServer server = TestServer.perTest(b -> b.rateLimit(20).rateBurst(10));
  private TestServer.Account alice;
  private TestServer.Account bob;
  private String thread;

  @BeforeEach
  void directThread() {
    alice = server.register("alice");
    bob = server.register("bob");
    thread = server.direct(alice, bob);
  }

  @Test
  void twoHundredQuickSendsAreStoredInTheOrderTheyWereTyped(Browsers browsers) {
    ChatPage b = new ChatPage(browsers.open("bob", 1024, 700), server).open();
    b.login("bob");
    b.openThread("alice");
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.login("alice");
    a.openThread("bob");

    List<String> typed = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      typed.add(String.format("quick %03d", i));
    }
    // as fast as a page can take them: Enter pressed 200 times in one task
    a.script("const input = document.getElementById('composer-input');"
        + "for (const text of arguments[0]) {"
        + "  input.value = text;"
        + "  input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));"
        + "}", typed);

    // one at a time, each acked once durable: generous for a loaded machine's fsyncs
    long start = System.nanoTime();
    a.await().withTimeout(Duration.ofMinutes(3)).until(d ->
        d.findElements(By.cssSelector("[data-testid='message'][data-status='sent']")).size() == 200);
    System.out.printf("200 sends acked in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(storedBodies()).containsExactlyElementsOf(typed);
    b.await().withTimeout(Duration.ofSeconds(30)).until(d -> b.bodies().size() == 200);
    assertThat(b.bodies()).containsExactlyElementsOf(typed);
    assertThat(a.bodies()).containsExactlyElementsOf(typed);
  }

  @Test
  void whatWasTypedOfflineIsSentInOrderAfterTheReconnect(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.login("alice");
    a.openThread("bob");
    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    List<String> typed = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      String text = String.format("offline %02d", i);
      typed.add(text);
      a.send(text);
    }
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='message'][data-status='pending']")).size() == 30);

    a.script("window.parley.conn.start();");
    a.await().withTimeout(Duration.ofSeconds(30)).until(d ->
        d.findElements(By.cssSelector("[data-testid='message'][data-status='sent']")).size() == 30);
    assertThat(storedBodies()).containsExactlyElementsOf(typed);
  }

  @Test
  void aFailedMessageShowsAsNotSentInTheListAndDiscardingItGivesTheTextBack(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.login("alice");
    a.openThread("bob");
    // 6,000 euro signs are 18,000 bytes of UTF-8: over the body limit, refused for good
    String tooLong = "€".repeat(6_000);
    a.script("const input = document.getElementById('composer-input'); input.value = arguments[0];"
        + "input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));",
        tooLong);
    a.await().until(d -> !d.findElements(By.cssSelector("[data-testid='message'][data-status='failed']")).isEmpty());
    WebElement preview = a.threadItem("bob").findElement(ChatPage.testId("thread-preview"));
    a.await().until(d -> preview.getText().startsWith("Not sent: "));
    assertThat(preview.getAttribute("data-failed")).isEqualTo("true");

    a.send("sent after the failure");
    a.awaitMessageStatus("sent after the failure", "sent");
    a.composer().sendKeys("half a thought");
    a.driver().findElement(By.xpath("//li[@data-status='failed']//button[normalize-space(.)='Discard']")).click();
    a.await().until(d -> d.findElements(By.cssSelector("[data-testid='message'][data-status='failed']")).isEmpty());
    assertThat(a.composer().getAttribute("value")).isEqualTo(tooLong + "\nhalf a thought");
    a.await().until(d -> a.threadItem("bob").findElement(ChatPage.testId("thread-preview")).getText()
        .equals("You: sent after the failure"));
  }

  @Test
  void unsentMessagesSurviveAReloadAndAFailedOneIsSentByRetry(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1024, 700), server).open();
    a.login("alice");
    a.openThread("bob");
    a.script("window.parley.conn.stop();");
    a.awaitConnection("offline");
    a.send("typed offline 1");
    a.send("typed offline 2");
    a.awaitMessageStatus("typed offline 2", "pending");

    // the outbox is in localStorage: after the reload it is shown again and sent, each once
    a.reload();
    a.openThread("bob");
    a.awaitMessageStatus("typed offline 2", "sent");
    assertThat(storedBodies()).containsExactly("typed offline 1", "typed offline 2");

    // bob blocks alice: her next message is refused and kept as failed, also across a reload
    String blockPath = "/api/users/" + alice.id() + "/block";
    assertThat(server.request("PUT", blockPath, bob.access(), null).status()).isEqualTo(204);
    a.send("sent while blocked");
    a.awaitMessageStatus("sent while blocked", "failed");
    assertThat(server.request("DELETE", blockPath, bob.access(), null).status()).isEqualTo(204);
    a.reload();
    a.openThread("bob");
    a.awaitMessageStatus("sent while blocked", "failed");
    a.driver().findElement(By.xpath("//li[@data-status='failed']//button[normalize-space(.)='Retry']")).click();
    a.awaitMessageStatus("sent while blocked", "sent");
    assertThat(storedBodies()).containsExactly("typed offline 1", "typed offline 2", "sent while blocked");
    assertThat(a.script("return JSON.parse(localStorage.getItem('parley.outbox.' + arguments[0]));", alice.id()))
        .asList().isEmpty();
  }

  private List<String> storedBodies() {
    TestServer.Response r = server.get("/api/threads/" + thread + "/messages?limit=200", bob.access());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> bodies = new ArrayList<>();
    for (JsonNode m : r.json().get("messages")) {
      bodies.add(m.get("body").asText());
    }
    return bodies;
  }
}
