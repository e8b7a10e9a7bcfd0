package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.testing.DelegatingChatStore;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.RecordingConnection;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket {@code send}: ack, fan-out, seq, dedupe, body rules, membership. */
class SendFrameTest {
  private EngineFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private void start() {
    f = EngineFixture.create(c -> c.rateLimit(0));
  }

  /** Alice and Bob connected, in a group, alice's connection {@code a} and bob's {@code b}. */
  private record Pair(ChatThread thread, TestClient a, TestClient b) {
  }

  /** Starts an engine whose store runs {@code beforeAppend} before storing each batch. */
  private Pair pairWithStore(Consumer<List<PendingMessage>> beforeAppend) {
    f = EngineFixture.builder()
        .wrapStore(real -> new DelegatingChatStore(real) {
          @Override
          public List<AppendResult> appendBatch(List<PendingMessage> batch) {
            beforeAppend.accept(batch);
            return super.appendBatch(batch);
          }
        })
        .start();
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    return new Pair(f.group(alice, bob), f.connect(alice), f.connect(bob));
  }

  @Test
  void acksOnlyAfterTheCommit() throws Exception {
    AtomicBoolean hold = new AtomicBoolean(true);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch committing = new CountDownLatch(1);
    Pair p = pairWithStore(batch -> {
      if (hold.get()) {
        committing.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    ChatThread t = p.thread();
    TestClient a = p.a();
    TestClient b = p.b();

    String id = a.send(t.id(), "hello");
    assertThat(committing.await(10, TimeUnit.SECONDS)).isTrue();
    // the store holds the batch inside appendBatch: an ack or a delivery made before the commit
    // (on the send's own thread, as the frame was queued) is already recorded by now
    assertThat(a.connection().frames("ack")).isEmpty();
    assertThat(b.connection().frames("message")).isEmpty();

    hold.set(false);
    release.countDown();
    JsonNode ack = a.connection().awaitReply(id);
    assertThat(ack.path("type").asText()).isEqualTo("ack");
    List<Message> stored = f.store().messagesAfter(t.id(), 0, 10);
    assertThat(stored).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(ack.path("messageId").asText());
      assertThat(m.seq()).isEqualTo(ack.path("seq").asLong());
      assertThat(m.ts()).isEqualTo(ack.path("ts").asLong());
    });
    assertThat(b.connection().awaitSeqs(t.id(), 1)).containsExactly(1L);
  }

  /** A batch whose commit fails is answered with an error, never acked nor delivered. */
  @Test
  void aFailedCommitIsNeitherAckedNorDelivered() {
    AtomicBoolean failNext = new AtomicBoolean(true);
    Pair p = pairWithStore(batch -> {
      if (failNext.getAndSet(false)) {
        throw new IllegalStateException("disk full");
      }
    });
    ChatThread t = p.thread();
    TestClient a = p.a();
    TestClient b = p.b();

    String lost = a.send(t.id(), "lost");
    JsonNode error = a.connection().awaitReply(lost);
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("code").asText()).isEqualTo("unavailable");

    // barrier: the next message commits and reaches both connections after the failed one would have
    JsonNode kept = a.sendAndAwait(t.id(), "kept");
    assertThat(kept.path("type").asText()).isEqualTo("ack");
    assertThat(b.connection().awaitSeqs(t.id(), 1)).containsExactly(1L);
    assertThat(b.connection().messages(t.id())).extracting(m -> m.path("body").asText())
        .containsExactly("kept");
    assertThat(a.connection().frames("ack")).hasSize(1);
    assertThat(f.store().messagesAfter(t.id(), 0, 10)).extracting(Message::body).containsExactly("kept");
  }

  @Test
  void deliversToEveryConnectionOfEveryMemberAndToNoOutsider() {
    start();
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    TestUser carol = f.register("carol");
    ChatThread t = f.group(alice, bob);
    ChatThread barrier = f.group(carol, alice);
    TestClient a1 = f.connect(alice);
    TestClient a2 = f.connect(alice);
    TestClient b = f.connect(bob);
    TestClient c = f.connect(carol);

    JsonNode ack = a1.sendAndAwait(t.id(), "to the group");

    for (TestClient member : List.of(a1, a2, b)) {
      JsonNode m = member.connection().awaitFrame("message");
      assertThat(m.path("thread").asText()).isEqualTo(t.id());
      assertThat(m.path("seq").asLong()).isEqualTo(1);
      assertThat(m.path("id").asText()).isEqualTo(ack.path("messageId").asText());
      assertThat(m.path("sender").asText()).isEqualTo(alice.id());
      assertThat(m.path("body").asText()).isEqualTo("to the group");
    }
    assertOnlyTheBarrierArrives(a1, barrier, c);
  }

  /**
   * Proves that nothing was delivered to {@code outsider} before now: {@code sender} sends a
   * message to {@code barrier} (a thread the outsider is in) and the outsider waits for it.
   * Deliveries leave the commit thread in order, so anything sent before would have come first.
   */
  private static void assertOnlyTheBarrierArrives(TestClient sender, ChatThread barrier,
                                                  TestClient outsider) {
    sender.sendAndAwait(barrier.id(), "barrier");
    outsider.connection().awaitFrame("message",
        m -> m.path("thread").asText().equals(barrier.id()));
    assertThat(outsider.connection().frames("message"))
        .extracting(m -> m.path("thread").asText())
        .containsExactly(barrier.id());
  }

  @Test
  void sendsTheAckBeforeTheMessageOnTheSendersConnection() {
    start();
    TestUser alice = f.register("alice");
    ChatThread t = f.group(alice);
    TestClient a = f.connect(alice);

    for (int i = 0; i < 20; i++) {
      a.send(t.id(), "m" + i);
    }
    a.connection().awaitSeqs(t.id(), 20);

    List<String> order = new ArrayList<>();
    for (JsonNode frame : a.connection().frames()) {
      String type = frame.path("type").asText();
      if (type.equals("ack") || type.equals("message")) {
        order.add(type + ":" + frame.path("seq").asLong());
      }
    }
    for (int seq = 1; seq <= 20; seq++) {
      assertThat(order.indexOf("ack:" + seq)).as("ack of %d", seq)
          .isNotNegative()
          .isLessThan(order.indexOf("message:" + seq));
    }
  }

  @Test
  void numbersMessagesOfAThreadFromOneWithoutGaps() {
    start();
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    ChatThread t = f.group(alice, bob);
    ChatThread other = f.group(bob, alice);
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);

    List<Long> acked = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      acked.add(a.sendAndAwait(t.id(), "m" + i).path("seq").asLong());
    }
    JsonNode otherAck = b.sendAndAwait(other.id(), "elsewhere");

    assertThat(acked).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(otherAck.path("seq").asLong()).isEqualTo(1);
    assertThat(b.connection().awaitSeqs(t.id(), 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void repeatedClientIdIsAckedWithTheFirstSeqAndNotDeliveredAgain() {
    start();
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    ChatThread t = f.group(alice, bob);
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);

    JsonNode first = a.connection().awaitReply(a.send(t.id(), "once", "client-1"));
    JsonNode again = a.connection().awaitReply(a.send(t.id(), "once", "client-1"));
    a.sendAndAwait(t.id(), "next");

    assertThat(again.path("type").asText()).isEqualTo("ack");
    assertThat(again.path("seq").asLong()).isEqualTo(first.path("seq").asLong()).isEqualTo(1);
    assertThat(again.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
    assertThat(b.connection().awaitSeqs(t.id(), 2)).containsExactly(1L, 2L);
    assertThat(a.connection().awaitSeqs(t.id(), 2)).containsExactly(1L, 2L);
    assertThat(f.store().messagesAfter(t.id(), 0, 10)).extracting(Message::body)
        .containsExactly("once", "next");
  }

  @Test
  void refusesAnEmptyBody() {
    start();
    TestUser alice = f.register("alice");
    ChatThread t = f.group(alice);
    TestClient a = f.connect(alice);

    JsonNode error = a.sendAndAwait(t.id(), "");

    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("code").asText()).isEqualTo("bad_request");
    assertThat(f.store().messagesAfter(t.id(), 0, 10)).isEmpty();
  }

  @Test
  void countsTheBodyLimitInUtf8Bytes() {
    start();
    TestUser alice = f.register("alice");
    ChatThread t = f.group(alice);
    TestClient a = f.connect(alice);

    // exactly 16,384 bytes: accepted, whether 1, 2, 3 or 4 bytes per character
    assertThat(a.sendAndAwait(t.id(), "a".repeat(16_384)).path("type").asText()).isEqualTo("ack");
    assertThat(a.sendAndAwait(t.id(), "é".repeat(8_192)).path("type").asText()).isEqualTo("ack");
    assertThat(a.sendAndAwait(t.id(), "€".repeat(5_461) + "a").path("type").asText())
        .isEqualTo("ack");
    assertThat(a.sendAndAwait(t.id(), "😀".repeat(4_096)).path("type").asText()).isEqualTo("ack");

    // 16,385 bytes: too large, though far fewer characters than bytes
    for (String body : List.of("a".repeat(16_385), "é".repeat(8_192) + "a",
        "€".repeat(5_462), "😀".repeat(4_096) + "a")) {
      JsonNode error = a.sendAndAwait(t.id(), body);
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("code").asText()).as("%d chars", body.length()).isEqualTo("too_large");
    }
    assertThat(f.store().messagesAfter(t.id(), 0, 100)).hasSize(4);
  }

  @Test
  void refusesANonMemberWithForbidden() {
    start();
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    ChatThread bobs = f.group(bob);
    ChatThread barrier = f.group(alice, bob);
    TestClient a = f.connect(alice);
    TestClient b = f.connect(bob);

    JsonNode error = a.sendAndAwait(bobs.id(), "let me in");

    assertThat(error.path("code").asText()).isEqualTo("forbidden");
    assertThat(f.store().messagesAfter(bobs.id(), 0, 10)).isEmpty();
    assertOnlyTheBarrierArrives(a, barrier, b);
  }

  @Test
  void refusesAnUnknownThreadWithNotFound() {
    start();
    TestUser alice = f.register("alice");
    TestClient a = f.connect(alice);

    JsonNode error = a.sendAndAwait("no-such-thread", "hello?");

    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("code").asText()).isEqualTo("not_found");
  }

  @Test
  void concurrentSendersProduceOneOrderEveryReceiverSeesExactlyOnce() throws Exception {
    start();
    int senders = 8;
    int perSender = 25;
    List<TestUser> users = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      users.add(f.register("user" + i));
    }
    ChatThread t = f.group(users.get(0), users.subList(1, senders).toArray(TestUser[]::new));
    List<TestClient> clients = new ArrayList<>();
    for (TestUser u : users) {
      clients.add(f.connect(u));
    }
    TestClient watcher = f.connect(users.get(0));

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (TestClient c : clients) {
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perSender; i++) {
          c.send(t.id(), c.user().username() + " " + i);
        }
      });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }

    int total = senders * perSender;
    List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
    List<RecordingConnection> receivers = new ArrayList<>();
    clients.forEach(c -> receivers.add(c.connection()));
    receivers.add(watcher.connection());
    for (RecordingConnection r : receivers) {
      r.awaitSeqs(t.id(), total);
      assertThat(r.seqs(t.id())).as("seqs on %s", r).containsExactlyElementsOf(expected);
    }
    for (TestClient c : clients) {
      assertThat(c.connection().frames("ack")).hasSize(perSender);
      assertThat(c.connection().frames("error")).isEmpty();
    }
  }
}
