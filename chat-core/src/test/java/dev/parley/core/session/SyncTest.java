package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sync}: the missed messages, in order, once, then {@code synced}. */
class SyncTest {
  private EngineFixture f;
  private TestUser alice;
  private TestUser bob;
  private ChatThread t;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0));
    alice = f.register("alice");
    bob = f.register("bob");
    t = f.group(alice, bob);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void replaysExactlyTheMissedMessagesInOrderThenSynced() {
    ChatThread other = f.group(bob, alice);
    TestClient b = f.connect(bob);
    TestClient a1 = f.connect(alice);
    b.sendAndAwait(t.id(), "seen 1");
    b.sendAndAwait(t.id(), "seen 2");
    a1.connection().awaitSeqs(t.id(), 2);
    a1.disconnect();

    for (int i = 3; i <= 5; i++) {
      b.sendAndAwait(t.id(), "missed " + i);
    }
    b.sendAndAwait(other.id(), "missed elsewhere");

    TestClient a2 = f.connect(alice);
    Map<String, Long> lastSeen = new LinkedHashMap<>();
    lastSeen.put(t.id(), 2L);
    lastSeen.put(other.id(), 0L);
    String id = a2.sync(lastSeen);

    JsonNode synced = a2.connection().awaitReply(id);
    assertThat(synced.path("type").asText()).isEqualTo("synced");
    assertThat(a2.connection().seqs(t.id())).containsExactly(3L, 4L, 5L);
    assertThat(a2.connection().messages(t.id())).extracting(m -> m.path("body").asText())
        .containsExactly("missed 3", "missed 4", "missed 5");
    assertThat(a2.connection().seqs(other.id())).containsExactly(1L);
    List<JsonNode> frames = a2.connection().frames();
    assertThat(frames.get(frames.size() - 1)).isEqualTo(synced);
  }

  @Test
  void syncOfAThreadTheUserIsNotInIsForbiddenAndSendsNothing() {
    TestUser carol = f.register("carol");
    TestClient b = f.connect(bob);
    b.sendAndAwait(t.id(), "private");
    TestClient c = f.connect(carol);

    String only = c.sync(Map.of(t.id(), 0L));
    Map<String, Long> mixed = new LinkedHashMap<>();
    mixed.put(f.group(carol).id(), 0L);
    mixed.put(t.id(), 0L);
    String withOwn = c.sync(mixed);

    assertThat(c.connection().awaitReply(only).path("code").asText()).isEqualTo("forbidden");
    assertThat(c.connection().awaitReply(withOwn).path("code").asText()).isEqualTo("forbidden");
    assertThat(c.connection().frames("message")).isEmpty();
    assertThat(c.connection().frames("synced")).isEmpty();
  }

  @Test
  void syncBesideLiveSendsNeverRepeatsOrReordersASeq() throws Exception {
    TestClient b = f.connect(bob);
    for (int i = 0; i < 300; i++) {
      b.send(t.id(), "before " + i);
    }
    b.connection().awaitFrames("ack", 300);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong(300);
    Thread sender = new Thread(() -> {
      while (!stop.get()) {
        JsonNode answer = b.sendAndAwait(t.id(), "live");
        if ("ack".equals(answer.path("type").asText())) {
          sent.incrementAndGet();
        }
      }
    });
    sender.start();
    List<TestClient> syncing = new ArrayList<>();
    try {
      for (int round = 0; round < 5; round++) {
        TestClient a = f.connect(alice);
        syncing.add(a);
        a.connection().awaitReply(a.sync(Map.of(t.id(), 0L)));
      }
    } finally {
      stop.set(true);
      sender.join();
    }
    long total = sent.get();

    for (TestClient a : syncing) {
      List<Long> seqs = a.connection().awaitSeqs(t.id(), (int) total);
      // live messages may arrive before the sync is handled; from the replay's start on, every
      // seq comes exactly once and in order
      int replayStart = seqs.indexOf(1L);
      assertThat(replayStart).as("replay on %s", a).isNotNegative();
      assertThat(seqs.subList(0, replayStart)).as("live before the sync").isSorted()
          .doesNotHaveDuplicates();
      a.connection().awaitSeqs(t.id(), replayStart + (int) total);
      List<Long> fromReplay = a.connection().seqs(t.id()).subList(replayStart, replayStart + (int) total);
      assertThat(fromReplay).as("from the replay on, on %s", a)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(a.connection().seqs(t.id())).hasSize(replayStart + (int) total);
    }
  }
}
