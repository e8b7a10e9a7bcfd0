package dev.parley.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks (contract 7.5): a receiver that is down, then slow, then answers 500, then comes back,
 * with a server restart in between, gets every entry, in seq order per thread, signed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIT {
  static final String SECRET = "webhook-secret-0123456789";
  static final int PORT = freePort();
  static final String URL = "http://127.0.0.1:" + PORT + "/hook";

  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.webhooks(List.of(URL))
      .webhookSecret(SECRET));

  enum Mode { SLOW, FAIL, OK }

  record Hit(String thread, long seq, String signature, byte[] body, int status) {
  }

  static final List<Hit> hits = new CopyOnWriteArrayList<>();
  static volatile Mode mode = Mode.SLOW;
  static volatile HttpServer receiver;

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void startReceiver() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    http.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Mode m = mode;
      if (m == Mode.SLOW) {
        // a slow receiver: answers after a while (well within the server's request timeout)
        try {
          new CountDownLatch(1).await(1500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int status = m == Mode.FAIL ? 500 : 200;
      hits.add(new Hit(exchange.getRequestHeaders().getFirst("X-Parley-Thread"),
          Long.parseLong(exchange.getRequestHeaders().getFirst("X-Parley-Seq")),
          exchange.getRequestHeaders().getFirst("X-Parley-Signature"), body, status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    http.start();
    receiver = http;
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  private static long send(Account from, String thread, String body) {
    TestServer.Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asLong();
  }

  private static long queueLength() {
    return server.server().engine().webhooks().queueLength();
  }

  private static long countWith(int status) {
    return hits.stream().filter(h -> h.status() == status).count();
  }

  @Test
  @Order(1)
  void everyEntryArrivesInOrderSignedThroughDownSlowFailingAndARestart() throws Exception {
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String a = server.group(alice, "a", bob);
    String b = server.group(alice, "b", bob);
    Map<String, List<Long>> expected = new TreeMap<>();
    expected.put(a, new ArrayList<>());
    expected.put(b, new ArrayList<>());

    // down: nothing listens; the queue grows and is a metric
    for (int i = 0; i < 3; i++) {
      expected.get(a).add(send(alice, a, "a" + i));
    }
    for (int i = 0; i < 2; i++) {
      expected.get(b).add(send(bob, b, "b" + i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> queueLength() >= 5);
    assertThat(server.get("/metrics", null).body()).contains("chat_webhook_queue_length 5");

    // slow: answers 200 after 1.5 s
    mode = Mode.SLOW;
    startReceiver();
    await().atMost(Duration.ofSeconds(60)).until(() -> countWith(200) >= 1);

    // failing: 500 for a while, and the server restarts meanwhile
    mode = Mode.FAIL;
    expected.get(a).add(send(alice, a, "a3"));
    await().atMost(Duration.ofSeconds(60)).until(() -> countWith(500) >= 1);
    server.restart();
    expected.get(b).add(send(alice, b, "b2"));
    expected.get(a).add(send(bob, a, "a4"));
    long failuresAfterRestart = countWith(500);
    await().atMost(Duration.ofSeconds(60)).until(() -> countWith(500) > failuresAfterRestart);

    // back: everything arrives
    mode = Mode.OK;
    await().atMost(Duration.ofSeconds(120)).until(() -> {
      for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
        List<Long> delivered = hits.stream()
            .filter(h -> h.status() == 200 && h.thread().equals(e.getKey()))
            .map(Hit::seq).distinct().toList();
        if (!delivered.containsAll(e.getValue())) {
          return false;
        }
      }
      return true;
    });

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    for (Hit h : hits) {
      assertThat(h.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(h.body())));
      JsonNode frame = TestServer.JSON.readTree(h.body());
      assertThat(frame.get("type").asText()).isEqualTo("message");
      assertThat(frame.get("thread").asText()).isEqualTo(h.thread());
      assertThat(frame.get("seq").asLong()).isEqualTo(h.seq());
    }
    for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
      List<Long> attempts = hits.stream().filter(h -> h.thread().equals(e.getKey()))
          .map(Hit::seq).toList();
      assertThat(attempts).as("every attempt of thread %s in seq order", e.getKey()).isSorted();
      assertThat(attempts.stream().distinct().toList()).isEqualTo(e.getValue());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> queueLength() == 0);
  }

  /** The log's change entries (contract 7.2) go out like messages, as the frames of their types. */
  @Test
  @Order(2)
  void changeEntriesArriveAsTheirFramesInSeqOrder() throws Exception {
    if (receiver == null) {
      startReceiver();
    }
    mode = Mode.OK;
    Account alice = server.register(TestServer.uniqueName("alice"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String t = server.group(alice, "changes", bob);
    long seq = send(alice, t, "typo");
    String path = "/api/threads/" + t + "/messages/" + seq;
    assertThat(server.request("PATCH", path, alice.access(), "{\"body\":\"fixed\"}").status()).isEqualTo(200);
    assertThat(server.request("PUT", path + "/reactions/%F0%9F%91%8D", bob.access(), null).status()).isEqualTo(204);
    assertThat(server.request("DELETE", path, alice.access(), null).status()).isEqualTo(204);

    await().atMost(Duration.ofSeconds(60)).until(() -> hits.stream()
        .filter(h -> h.status() == 200 && t.equals(h.thread())).map(Hit::seq).distinct().count() == 4);
    Map<Long, Hit> bySeq = new java.util.LinkedHashMap<>(); // at least once: the first of each
    hits.stream().filter(h -> h.status() == 200 && t.equals(h.thread())).forEach(h -> bySeq.putIfAbsent(h.seq(), h));
    List<Hit> delivered = List.copyOf(bySeq.values());
    List<String> types = new ArrayList<>();
    for (Hit h : delivered) {
      JsonNode frame = TestServer.JSON.readTree(h.body());
      types.add(frame.get("type").asText());
      if (!frame.get("type").asText().equals("message")) {
        assertThat(frame.get("target").asLong()).isEqualTo(seq);
      }
    }
    assertThat(delivered).extracting(Hit::seq).containsExactly(seq, seq + 1, seq + 2, seq + 3);
    assertThat(types).containsExactly("message", "edited", "reaction", "deleted");
  }
}
