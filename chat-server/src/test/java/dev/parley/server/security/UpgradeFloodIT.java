package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A flood of WebSocket upgrades (bad tokens and good ones) while two users chat: the established
 * connections keep getting their pongs and messages, in order, while the flood goes on.
 */
class UpgradeFloodIT {
  private static final int FLOODERS = 8;
  private static final int UPGRADES_PER_FLOODER = 150;

  @Test
  void anUpgradeFloodDoesNotStarveEstablishedConnections() throws Exception {
    try (TestServer server = TestServer.start(b -> b.rateLimit(0))) {
      TestServer.Account alice = server.register(TestServer.uniqueName("alice"));
      TestServer.Account bob = server.register(TestServer.uniqueName("bob"));
      String thread = server.group(alice, "calm", bob);
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger accepted = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(FLOODERS);
      try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
        List<Future<?>> flood = new ArrayList<>();
        for (int f = 0; f < FLOODERS; f++) {
          int flooder = f;
          flood.add(pool.submit(() -> {
            for (int i = 0; i < UPGRADES_PER_FLOODER && flooding.get(); i++) {
              boolean good = (i + flooder) % 4 == 0;
              String token = good ? bob.access() : "not-a-token-" + i;
              RawWebSocket.Upgrade upgrade = RawWebSocket.upgrade(server.port(), "/ws?token=" + token, Map.of());
              if (upgrade.answer().status() == 101) {
                accepted.incrementAndGet();
                upgrade.socket().close();
              } else {
                refused.incrementAndGet();
              }
            }
            return null;
          }));
        }
        // meanwhile the established connections keep working, one round trip at a time
        long worstMillis = 0;
        int rounds = 0;
        while (flood.stream().anyMatch(fu -> !fu.isDone()) || rounds < 20) {
          rounds++;
          long start = System.nanoTime();
          a.send("{\"type\":\"send\",\"id\":\"m" + rounds + "\",\"thread\":\"" + thread + "\",\"body\":\"still here " + rounds + "\"}");
          JsonNode ack = a.awaitId("m" + rounds);
          assertThat(ack.path("type").asText()).isEqualTo("ack");
          JsonNode got = b.await(n -> "message".equals(n.path("type").asText())
              && n.path("seq").asLong() == ack.path("seq").asLong());
          assertThat(got.path("body").asText()).isEqualTo("still here " + rounds);
          b.send("{\"type\":\"ping\",\"id\":\"p" + rounds + "\"}");
          assertThat(b.awaitId("p" + rounds).path("type").asText()).isEqualTo("pong");
          worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
          if (rounds > 2000) {
            break;
          }
        }
        flooding.set(false);
        for (Future<?> fu : flood) {
          fu.get(60, TimeUnit.SECONDS);
        }
        System.out.printf("UpgradeFloodIT: %d upgrades refused, %d accepted; %d chat rounds during the"
            + " flood, the slowest send->ack->delivery->ping->pong took %d ms%n",
            refused.get(), accepted.get(), rounds, worstMillis);
        assertThat(refused.get()).isGreaterThan(FLOODERS * UPGRADES_PER_FLOODER / 2);
        assertThat(accepted.get()).isPositive();
        assertThat(worstMillis).as("slowest round trip of an established connection").isLessThan(5_000);
        assertThat(a.isClosed()).isFalse();
        assertThat(b.isClosed()).isFalse();
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
