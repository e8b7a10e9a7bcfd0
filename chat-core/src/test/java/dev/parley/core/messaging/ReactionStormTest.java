package dev.parley.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.CommitObserver;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "same path, same speed": a reaction storm. 100 members of one group, all connected,
 * react to the same message at the same moment over the session frame path (as the WebSocket
 * transport feeds it). Every reaction is acked, stored with gap-free seqs, delivered to every
 * member in seq order, and the group commit batches them like sends: far fewer commits than
 * reactions, seen through the engine's public {@link CommitObserver}.
 */
class ReactionStormTest {
  private static final int USERS = 100;

  @Test
  void hundredSimultaneousReactionsAreBatchedStoredGapFreeAndDeliveredInOrder() throws Exception {
    ConcurrentLinkedQueue<Integer> batches = new ConcurrentLinkedQueue<>();
    AtomicBoolean counting = new AtomicBoolean();
    CommitObserver observer = new CommitObserver() {
      @Override
      public void batchCommitted(int size, long nanos) {
        if (counting.get()) {
          batches.add(size);
        }
      }
    };
    // no send rate limit in the way: the point is the commit path, not the limiter
    try (EngineFixture f = EngineFixture.builder().config(c -> c.rateLimit(0)).commitObserver(observer).start()) {
      List<TestUser> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(f.register("storm" + i));
      }
      ChatThread t = f.group(users.get(0), users.subList(1, USERS).toArray(TestUser[]::new));
      List<TestClient> clients = users.stream().map(f::connect).toList();
      Message target = f.engine().messages().post(users.get(0).id(), t.id(), "react to me")
          .get(10, TimeUnit.SECONDS);
      assertThat(target.seq()).isEqualTo(1);
      for (TestClient c : clients) {
        c.connection().awaitSeqs(t.id(), 1);
      }

      counting.set(true);
      AtomicLong released = new AtomicLong();
      CyclicBarrier start = new CyclicBarrier(USERS, () -> released.set(System.nanoTime()));
      CountDownLatch pushed = new CountDownLatch(USERS);
      ExecutorService pool = Executors.newFixedThreadPool(USERS);
      List<Future<String>> ids = new ArrayList<>();
      try {
        for (TestClient c : clients) {
          ids.add(pool.submit(() -> {
            String id = c.nextId();
            start.await(10, TimeUnit.SECONDS);
            c.push(c.frame("react").put("id", id).put("thread", t.id()).put("target", target.seq())
                .put("emoji", "\uD83D\uDC4D").put("on", true));
            pushed.countDown();
            return id;
          }));
        }
        assertThat(pushed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released.get()))
            .as("all 100 reactions handed to the engine within a second").isLessThan(1000);
      } finally {
        pool.shutdown();
      }

      // every reaction acked, with its own new seq: together exactly 2..101
      List<Long> ackedSeqs = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        JsonNode ack = clients.get(i).connection().awaitReply(ids.get(i).get(10, TimeUnit.SECONDS));
        assertThat(ack.path("type").asText()).as("answer to %s", ack).isEqualTo("ack");
        assertThat(ack.path("changed").asBoolean(true)).as("a first reaction changes something: %s", ack).isTrue();
        ackedSeqs.add(ack.path("seq").asLong());
      }
      List<Long> expected = LongStream.rangeClosed(2, USERS + 1).boxed().toList();
      assertThat(ackedSeqs).containsExactlyInAnyOrderElementsOf(expected);

      // stored gap-free in the thread's log, one reaction entry per user
      List<Message> log = f.engine().messages().after(t.id(), target.seq(), 500);
      assertThat(log).extracting(Message::seq).containsExactlyElementsOf(expected);
      assertThat(log).extracting(Message::sender).containsExactlyInAnyOrderElementsOf(
          users.stream().map(TestUser::id).toList());

      // delivered to every connected member, in seq order, each once
      for (TestClient c : clients) {
        List<JsonNode> frames = c.connection().awaitFrames("reaction", USERS);
        assertThat(frames).extracting(fr -> fr.path("seq").asLong()).containsExactlyElementsOf(expected);
        assertThat(frames).allSatisfy(fr -> assertThat(fr.path("target").asLong()).isEqualTo(target.seq()));
      }

      // batched by the group commit, like sends
      List<Integer> sizes = List.copyOf(batches);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).as("batch sizes %s", sizes).isEqualTo(USERS);
      assertThat(sizes).as("commits for %d reactions: %s", USERS, sizes).hasSizeLessThan(50);
    }
  }
}
