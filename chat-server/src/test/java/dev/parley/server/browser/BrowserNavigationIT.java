package dev.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Each conversation has its own address: Back and Forward move between the conversations and
 * the list without leaving the app, and a reload reopens the conversation that was on screen.
 */
@ExtendWith(Browsers.class)
class BrowserNavigationIT {
  @RegisterExtension
  final TestServer server = TestServer.perTest();
  private String withBob;
  private String withCarol;

  @BeforeEach
  void twoConversations() {
    TestServer.Account alice = server.register("alice");
    TestServer.Account bob = server.register("bob");
    TestServer.Account carol = server.register("carol");
    withBob = server.direct(alice, bob);
    withCarol = server.direct(alice, carol);
    server.post("/api/threads/" + withBob + "/messages", bob.access(), "{\"body\":\"hi from bob\"}");
    server.post("/api/threads/" + withCarol + "/messages", carol.access(), "{\"body\":\"hi from carol\"}");
  }

  @Test
  void backForwardAndReloadFollowTheConversationInTheAddress(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    String app = a.driver().getCurrentUrl();

    a.openThread("bob");
    a.awaitMessage("hi from bob");
    assertThat(a.driver().getCurrentUrl()).isEqualTo(app + "#/t/" + withBob);
    a.openThread("carol");
    a.awaitMessage("hi from carol");
    assertThat(a.driver().getCurrentUrl()).isEqualTo(app + "#/t/" + withCarol);

    a.driver().navigate().back();
    a.awaitOpen("bob");
    a.awaitMessage("hi from bob");
    a.driver().navigate().back();
    a.await().until(ExpectedConditions.attributeToBe(By.id("conversation"), "data-empty", "true"));
    assertThat(a.driver().getCurrentUrl()).as("still in the app").startsWith(app);
    a.driver().navigate().forward();
    a.awaitOpen("bob");

    a.reload();
    a.awaitOpen("bob");
    a.awaitMessage("hi from bob");
    assertThat(a.driver().getCurrentUrl()).isEqualTo(app + "#/t/" + withBob);
  }

  @Test
  void onAPhoneTheBackButtonAndTheBrowsersBackAgree(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 390, 844), server).open();
    a.login("alice");
    String app = a.driver().getCurrentUrl();
    a.openThread("carol");
    a.visible(ChatPage.testId("back-button")).click();
    a.threadItem("bob");
    assertThat(a.driver().getCurrentUrl()).isEqualTo(app);
    a.driver().navigate().forward();
    a.awaitOpen("carol");
    a.driver().navigate().back();
    a.threadItem("bob");
    assertThat(a.driver().getCurrentUrl()).isEqualTo(app);
  }

  @Test
  void anAddressOfAConversationThatIsNotOursOpensTheList(Browsers browsers) {
    ChatPage a = new ChatPage(browsers.open("alice", 1280, 800), server).open();
    a.login("alice");
    String app = a.driver().getCurrentUrl();
    a.driver().get(app + "#/t/no-such-thread");
    a.reload();
    a.threadItem("bob");
    a.await().until(d -> d.getCurrentUrl().equals(app));
  }
}
