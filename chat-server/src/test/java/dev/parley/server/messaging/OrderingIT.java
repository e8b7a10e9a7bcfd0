package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.oneTo;
import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.seqsOf;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Concurrent senders into one group: every connection sees one gap-free order. */
class OrderingIT {
  private static final int SENDERS = 8;
  private static final int EACH = 50;
  private static final int TOTAL = SENDERS * EACH;

  @Test
  void concurrentSendersProduceOneGapFreeOrderSeenByEveryReceiver() throws Exception {
    try (TestServer server = TestServer.start(b -> b.rateLimit(0))) {
      Account owner = user(server, "owner");
      List<Account> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        senders.add(user(server, "sender" + i));
      }
      Account listener = user(server, "listener");
      List<Account> others = new ArrayList<>(senders);
      others.add(listener);
      String g = server.group(owner, "busy", others.toArray(new Account[0]));

      List<WsClient> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
      try {
        for (Account s : senders) {
          clients.add(server.connect(s.access()));
        }
        WsClient listening = server.connect(listener.access());
        clients.add(listening);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < SENDERS; i++) {
          WsClient ws = clients.get(i);
          int sender = i;
          done.add(pool.submit(() -> {
            go.await();
            for (int k = 0; k < EACH; k++) {
              ws.send(sendFrame(sender + "-" + k, g, "from " + sender + " #" + k, null));
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        for (WsClient ws : clients) {
          Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
              .until(() -> seqsOf(ws, g).size() >= TOTAL);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("OrderingIT: " + TOTAL + " messages from " + SENDERS
            + " concurrent senders delivered to " + clients.size() + " connections in " + millis + " ms");

        for (WsClient ws : clients) {
          assertThat(seqsOf(ws, g)).as("seqs seen by one connection").isEqualTo(oneTo(TOTAL));
        }
        // every sender got one ack per send, each with a distinct seq
        Set<Long> acked = new HashSet<>();
        for (int i = 0; i < SENDERS; i++) {
          List<JsonNode> acks = clients.get(i).ofType("ack");
          assertThat(acks).hasSize(EACH);
          acks.forEach(a -> acked.add(a.get("seq").asLong()));
          // one sender's messages keep their sending order
          String senderId = senders.get(i).id();
          List<Long> own = Chat.messagesOf(clients.get(i), g).stream()
              .filter(m -> m.get("sender").asText().equals(senderId))
              .map(m -> (long) Integer.parseInt(m.get("body").asText().replaceAll(".*#", "")))
              .toList();
          assertThat(own).isEqualTo(zeroTo(EACH));
        }
        assertThat(acked).hasSize(TOTAL);

        List<Long> history = new ArrayList<>();
        Long before = null;
        while (true) {
          String q = "/api/threads/" + g + "/messages?limit=200" + (before == null ? "" : "&before=" + before);
          JsonNode page = server.get(q, owner.access()).json();
          List<Long> seqs = new ArrayList<>();
          page.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
          history.addAll(0, seqs);
          if (!page.get("hasMore").asBoolean()) {
            break;
          }
          before = seqs.get(0);
        }
        assertThat(history).isEqualTo(oneTo(TOTAL));
      } finally {
        pool.shutdownNow();
        clients.forEach(WsClient::close);
      }
    }
  }

  private static List<Long> zeroTo(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
