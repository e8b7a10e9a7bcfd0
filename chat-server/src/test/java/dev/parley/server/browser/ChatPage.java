package dev.parley.server.browser;

import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web client as one user sees it, driven through its ids and data-testid attributes. */
final class ChatPage {
  private final WebDriver driver;
  private final TestServer server;
  private final WebDriverWait wait;

  ChatPage(WebDriver driver, TestServer server) {
    this.driver = driver;
    this.server = server;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    // the client re-renders lists as frames arrive: an element found a moment ago may be replaced
    this.wait.ignoring(StaleElementReferenceException.class);
  }

  WebDriver driver() {
    return driver;
  }

  ChatPage open() {
    driver.get(server.uri("/").toString());
    return this;
  }

  static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Creates the account in the UI; the client signs in and shows the chat. */
  void register(String username, String displayName) {
    visible(testId("auth-tab-register")).click();
    visible(testId("auth-username")).sendKeys(username);
    visible(testId("auth-display-name")).sendKeys(displayName);
    visible(testId("auth-password")).sendKeys(TestServer.PASSWORD);
    visible(testId("auth-submit")).click();
    awaitSignedIn(displayName);
  }

  void login(String username) {
    visible(testId("auth-username")).sendKeys(username);
    visible(testId("auth-password")).sendKeys(TestServer.PASSWORD, Keys.ENTER);
    awaitSignedIn(null);
  }

  private void awaitSignedIn(String displayName) {
    WebElement me = visible(testId("me-name"));
    if (displayName != null) {
      wait.until(d -> displayName.equals(me.getText()));
    }
    awaitConnection("connected");
  }

  String connectionState() {
    return driver.findElement(testId("connection-status")).getAttribute("data-state");
  }

  void awaitConnection(String state) {
    wait.until(d -> state.equals(connectionState()));
  }

  /** Searches the user and opens the direct chat with them. */
  void startDirectChat(String username, String expectedTitle) {
    WebElement search = visible(testId("user-search"));
    search.sendKeys(username);
    visible(By.cssSelector("[data-testid='user-result'][data-username='" + username + "']")).click();
    awaitOpen(expectedTitle);
  }

  /** Waits until the conversation is on screen with its latest page of history. */
  void awaitOpen(String title) {
    wait.until(ExpectedConditions.textToBe(testId("conversation-title"), title));
    wait.until(ExpectedConditions.attributeToBe(testId("message-scroller"), "data-loaded", "true"));
  }

  WebElement threadItem(String title) {
    return visible(By.cssSelector("[data-testid='thread-item'][data-title='" + title + "']"));
  }

  void openThread(String title) {
    // the list is redrawn as frames arrive (and a reload reopens the conversation in the address
    // meanwhile): find and click again until one click lands
    wait.until(d -> {
      threadItem(title).findElement(By.tagName("button")).click();
      return true;
    });
    awaitOpen(title);
  }

  /** The unread badge of a thread in the list, 0 when there is none. */
  int unread(String title) {
    List<WebElement> badges = threadItem(title).findElements(testId("unread-count"));
    return badges.isEmpty() ? 0 : Integer.parseInt(badges.get(0).getText());
  }

  WebElement composer() {
    return visible(testId("composer-input"));
  }

  /** Types the text and presses Enter, as a user sends. */
  void send(String text) {
    composer().sendKeys(text, Keys.ENTER);
  }

  WebElement awaitMessage(String body) {
    return visible(messageWithBody(body));
  }

  static By messageWithBody(String body) {
    return By.xpath("//li[@data-testid='message'][.//span[@data-testid='message-body' and normalize-space(.)="
        + xpathLiteral(body) + "]]");
  }

  /** pending, sent or failed. */
  String messageStatus(String body) {
    return awaitMessage(body).getAttribute("data-status");
  }

  void awaitMessageStatus(String body, String status) {
    wait.until(d -> status.equals(messageStatus(body)));
  }

  int countMessages(String body) {
    return driver.findElements(messageWithBody(body)).size();
  }

  /** The bodies shown in the open conversation, top to bottom. */
  List<String> bodies() {
    return driver.findElements(testId("message-body")).stream().map(WebElement::getText)
        .collect(Collectors.toList());
  }

  String typingIndicator() {
    return driver.findElement(testId("typing-indicator")).getText();
  }

  void awaitTyping(String text) {
    wait.until(d -> typingIndicator().contains(text));
  }

  void awaitNoTyping() {
    wait.until(d -> typingIndicator().isEmpty());
  }

  void awaitReadReceipt(String body) {
    wait.until(d -> !awaitMessage(body).findElements(testId("read-receipt")).isEmpty());
  }

  /** Types a query in the message search and presses Enter (contract 7.3). */
  void searchMessages(String query) {
    WebElement box = visible(testId("message-search"));
    box.clear();
    box.sendKeys(query, Keys.ENTER);
  }

  /** Clicks a button of the conversation header (mute-toggle, block-toggle) and waits for its new label. */
  void toggle(String testId, String newLabel) {
    visible(testId(testId)).click();
    wait.until(ExpectedConditions.textToBe(testId(testId), newLabel));
  }

  void reload() {
    driver.navigate().refresh();
    visible(testId("me-name"));
    awaitConnection("connected");
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Runs asynchronous JavaScript: the script calls its last argument with the result. */
  Object asyncScript(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  WebDriverWait await() {
    return wait;
  }

  private static String xpathLiteral(String s) {
    if (!s.contains("'")) {
      return "'" + s + "'";
    }
    return "concat('" + s.replace("'", "',\"'\",'") + "')";
  }
}
