package dev.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ChatClient;
import dev.parley.client.RefreshingTokens;
import dev.parley.client.SendAck;
import dev.parley.client.TokenSupplier;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Message;
import dev.parley.server.testing.CuttableRelay;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * chat-client's {@link ChatClient} against a real server: acked sends, delivery, reconnect with
 * sync after a cut and after a restart (nothing lost, nothing twice, seq order kept), token
 * refresh on reconnect and in band, and outbox order under many quick sends. Lives in chat-server
 * so that chat-client never depends on the server.
 */
class ChatClientIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.rateLimit(10_000).rateBurst(10_000));

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Everything one client was handed, in order. */
  private static final class Inbox {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    List<Long> seqs(String thread) {
      return messages.stream().filter(m -> m.thread().equals(thread)).map(Message::seq).toList();
    }

    List<String> bodies(String thread) {
      return messages.stream().filter(m -> m.thread().equals(thread)).map(Message::body).toList();
    }
  }

  private ChatClient client(URI base, TokenSupplier tokens, Inbox inbox) {
    ChatClient c = ChatClient.builder(base)
        .tokens(tokens)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .onMessage(inbox.messages::add)
        .onEvent((type, frame) -> inbox.events.add(type))
        .build();
    open.add(c);
    return c;
  }

  private ChatClient connected(Account a, Inbox inbox) {
    ChatClient c = client(server.uri(""), TokenSupplier.of(a.access()), inbox);
    c.connect().orTimeout(15, TimeUnit.SECONDS).join();
    return c;
  }

  private static SendAck ack(CompletableFuture<SendAck> f) {
    return f.orTimeout(15, TimeUnit.SECONDS).join();
  }

  @Test
  void aSendIsAckedAndDeliveredToBothSides() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.direct(ada, bob);
    Inbox adaIn = new Inbox();
    Inbox bobIn = new Inbox();
    ChatClient a = connected(ada, adaIn);
    connected(bob, bobIn);

    SendAck first = ack(a.send(thread, "hello \"bob\" 👋"));

    assertThat(first.thread()).isEqualTo(thread);
    assertThat(first.seq()).isEqualTo(1);
    await().atMost(WAIT).until(() -> bobIn.messages.size() == 1 && adaIn.messages.size() == 1);
    Message got = bobIn.messages.get(0);
    assertThat(got.body()).isEqualTo("hello \"bob\" 👋");
    assertThat(got.sender()).isEqualTo(ada.id());
    assertThat(got.id()).isEqualTo(first.messageId());
    assertThat(got.clientId()).isEqualTo(first.clientId());
  }

  @Test
  void aRefusedSendFailsItsFutureWithTheWireCodeAndTheNextOneStillGoes() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    Account eve = server.register(TestServer.uniqueName("eve"));
    String notAdas = server.direct(bob, eve);
    String adas = server.direct(ada, bob);
    ChatClient a = connected(ada, new Inbox());

    CompletableFuture<SendAck> refused = a.send(notAdas, "let me in");
    CompletableFuture<SendAck> fine = a.send(adas, "hi");

    assertThat(ack(fine).seq()).isEqualTo(1);
    assertThat(refused).isCompletedExceptionally();
    ChatException e = (ChatException) refused.handle((ok, x) -> x instanceof CompletionException c ? c.getCause() : x).join();
    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void afterACutItReconnectsSyncsAndFlushesItsOutboxWithNothingLostOrTwice() throws Exception {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.direct(ada, bob);
    try (CuttableRelay relay = new CuttableRelay("127.0.0.1", server.port())) {
      Inbox adaIn = new Inbox();
      ChatClient a = client(URI.create("http://127.0.0.1:" + relay.port()),
          TokenSupplier.of(ada.access()), adaIn);
      a.connect().orTimeout(15, TimeUnit.SECONDS).join();
      ChatClient b = connected(bob, new Inbox());
      for (int i = 1; i <= 3; i++) {
        ack(b.send(thread, "before " + i));
      }
      await().atMost(WAIT).until(() -> adaIn.messages.size() == 3);

      relay.cut();
      List<CompletableFuture<SendAck>> offline = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        offline.add(a.send(thread, "from ada while away " + i));
      }
      for (int i = 1; i <= 5; i++) {
        ack(b.send(thread, "while ada is away " + i));
      }
      assertThat(offline).noneMatch(CompletableFuture::isDone);
      relay.restore();

      List<SendAck> acks = offline.stream().map(ChatClientIT::ack).toList();
      assertThat(acks).extracting(SendAck::seq).containsExactly(9L, 10L, 11L);
      await().atMost(WAIT).until(() -> adaIn.messages.size() >= 11);
      assertThat(adaIn.seqs(thread)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      assertThat(a.connects()).isGreaterThanOrEqualTo(2);
      JsonNode history = server.get("/api/threads/" + thread + "/messages", ada.access()).json().get("messages");
      List<String> stored = new ArrayList<>();
      history.forEach(m -> stored.add(m.get("body").asText()));
      assertThat(stored).hasSize(11).doesNotHaveDuplicates()
          .endsWith("from ada while away 1", "from ada while away 2", "from ada while away 3");
    }
  }

  @Test
  void afterAServerRestartItReconnectsAndMissesNothing() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.direct(ada, bob);
    Inbox adaIn = new Inbox();
    ChatClient a = connected(ada, adaIn);
    ChatClient b = connected(bob, new Inbox());
    ack(b.send(thread, "one"));
    await().atMost(WAIT).until(() -> adaIn.messages.size() == 1);

    server.restart(() -> { });
    ack(b.send(thread, "two"));
    ack(a.send(thread, "three"));

    await().atMost(WAIT).until(() -> adaIn.messages.size() == 3);
    assertThat(adaIn.bodies(thread)).containsExactly("one", "two", "three");
    assertThat(adaIn.seqs(thread)).containsExactly(1L, 2L, 3L);
    assertThat(a.connects()).isEqualTo(2);
  }

  @Test
  void aRefusedTokenIsRefreshedThroughTheRestRouteOnReconnect() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    RefreshingTokens tokens = new RefreshingTokens(server.uri(""), "not-a-valid-token", ada.refresh());
    ChatClient a = client(server.uri(""), tokens, new Inbox());

    a.connect().orTimeout(15, TimeUnit.SECONDS).join();

    assertThat(tokens.refreshes()).isEqualTo(1);
    assertThat(tokens.currentAccessToken()).isNotEqualTo("not-a-valid-token");
    assertThat(a.connects()).isEqualTo(1);
  }

  @Test
  void twoHundredQuickSendsKeepTheirOrder() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.direct(ada, bob);
    Inbox bobIn = new Inbox();
    ChatClient a = connected(ada, new Inbox());
    connected(bob, bobIn);

    List<CompletableFuture<SendAck>> sends = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sends.add(a.send(thread, "m" + i));
    }

    List<Long> seqs = sends.stream().map(ChatClientIT::ack).map(SendAck::seq).toList();
    List<Long> expected = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add(i + 1L);
      bodies.add("m" + i);
    }
    assertThat(seqs).isEqualTo(expected);
    await().atMost(WAIT).until(() -> bobIn.messages.size() == 200);
    assertThat(bobIn.bodies(thread)).isEqualTo(bodies);
  }
}
