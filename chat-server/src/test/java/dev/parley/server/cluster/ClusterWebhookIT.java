package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Webhooks in a cluster (issue 17, contract 7.5): two nodes on PostgreSQL and Redis, one local
 * receiver. Each entry arrives once per cluster, not once per node, in seq order per thread and
 * signed; when the node holding the receiver's lease is killed, the other takes over (after the
 * 30 s lease runs out) and nothing is lost. A duplicate is allowed only across the takeover.
 */
class ClusterWebhookIT {
  private static final String SECRET = "cluster-webhook-secret-0123456789";
  private static final int PER_THREAD = 8;

  record Hit(String thread, long seq, String signature, byte[] body) {
  }

  @Test
  void eachEntryArrivesOncePerClusterInOrderAndAKilledLeaseHolderLosesNothing() throws Exception {
    List<Hit> hits = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(2));
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      hits.add(new Hit(exchange.getRequestHeaders().getFirst("X-Parley-Thread"),
          Long.parseLong(exchange.getRequestHeaders().getFirst("X-Parley-Seq")),
          exchange.getRequestHeaders().getFirst("X-Parley-Signature"), body));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    try (Cluster cluster = Cluster.onSharedRedis()) {
      List<ServerProcess> nodes = cluster.start(2, "--webhook", url, "--webhook-secret", SECRET);
      ServerProcess a = nodes.get(0);
      ServerProcess b = nodes.get(1);
      TestServer.Account alice = a.register(Cluster.name("alice"));
      TestServer.Account bob = b.register(Cluster.name("bob"));
      List<String> threads = List.of(Cluster.group(a, alice, bob), Cluster.group(b, bob, alice));

      // messages through both nodes, alternating
      Map<String, Set<Long>> expected = new HashMap<>();
      for (int i = 0; i < PER_THREAD; i++) {
        for (String thread : threads) {
          ServerProcess via = i % 2 == 0 ? a : b;
          expected.computeIfAbsent(thread, t -> new HashSet<>()).add(send(via, i % 2 == 0 ? alice : bob, thread, "m" + i));
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> delivered(hits).equals(expected));
      String holder = leaseHolder(cluster); // a node id; node a is the first started
      assertThat(holder).isNotNull();
      // a page later, still once each: the other node delivered nothing
      TestServer.Response probe = send(holder.equals("node-a") ? b : a, alice, threads.get(0));
      expected.get(threads.get(0)).add(probe.json().get("seq").asLong());
      await().atMost(Duration.ofSeconds(60)).until(() -> delivered(hits).equals(expected));
      assertThat(hits).hasSize(expected.values().stream().mapToInt(Set::size).sum());
      assertInOrderAndSigned(hits, threads);

      // the lease holder dies; the survivor takes over once the lease runs out, and delivers all
      int before = hits.size();
      ServerProcess dead = holder.equals("node-a") ? a : b;
      ServerProcess survivor = dead == a ? b : a;
      dead.kill();
      for (int i = 0; i < PER_THREAD; i++) {
        for (String thread : threads) {
          expected.get(thread).add(send(survivor, alice, thread, "after " + i));
        }
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> delivered(hits).equals(expected));
      assertThat(leaseHolder(cluster)).isNotNull().isNotEqualTo(holder);
      List<Hit> afterKill = new ArrayList<>(hits.subList(before, hits.size()));
      assertInOrderAndSigned(afterKill, threads);
      // at least once: an entry may come twice only across the takeover, not the whole history again
      assertThat(hits.size() - expected.values().stream().mapToInt(Set::size).sum()).isLessThanOrEqualTo(threads.size());
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aLeaseHolderThatStopsCleanlyHandsTheLeaseOnAtOnce() throws Exception {
    List<Hit> hits = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      hits.add(new Hit(exchange.getRequestHeaders().getFirst("X-Parley-Thread"),
          Long.parseLong(exchange.getRequestHeaders().getFirst("X-Parley-Seq")), null, null));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    try (Cluster cluster = Cluster.onSharedRedis()) {
      List<ServerProcess> nodes = cluster.start(2, "--webhook", url, "--webhook-secret", SECRET);
      TestServer.Account alice = nodes.get(0).register(Cluster.name("alice"));
      TestServer.Account bob = nodes.get(1).register(Cluster.name("bob"));
      String thread = Cluster.group(nodes.get(0), alice, bob);
      long first = send(nodes.get(0), alice, thread, "before");
      await().atMost(Duration.ofSeconds(60)).until(() -> delivered(hits).getOrDefault(thread, Set.of()).contains(first));
      String holder = leaseHolder(cluster);
      ServerProcess stopping = holder.equals("node-a") ? nodes.get(0) : nodes.get(1);
      ServerProcess survivor = stopping == nodes.get(0) ? nodes.get(1) : nodes.get(0);

      stopping.terminate(); // SIGTERM: a clean stop releases the lease
      assertThat(stopping.awaitExit(Duration.ofSeconds(30))).isZero();
      long after = send(survivor, alice, thread, "after");
      // the holder renewed its 30 s lease every second until it stopped: only a released lease
      // lets the survivor deliver well within it
      await().atMost(Duration.ofSeconds(15)).until(() -> delivered(hits).get(thread).contains(after));
      assertThat(leaseHolder(cluster)).isNotEqualTo(holder);
    } finally {
      receiver.stop(0);
    }
  }

  private static long send(ServerProcess via, TestServer.Account from, String thread, String body) {
    TestServer.Response r = via.request("POST", "/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("seq").asLong();
  }

  private static TestServer.Response send(ServerProcess via, TestServer.Account from, String thread) {
    TestServer.Response r = via.request("POST", "/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"probe\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r;
  }

  private static Map<String, Set<Long>> delivered(List<Hit> hits) {
    Map<String, Set<Long>> out = new HashMap<>();
    for (Hit h : hits) {
      out.computeIfAbsent(h.thread(), t -> new HashSet<>()).add(h.seq());
    }
    return out;
  }

  /** Per thread, each entry after the first arrival of the one before it; every body signed. */
  private static void assertInOrderAndSigned(List<Hit> hits, List<String> threads) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    for (Hit h : hits) {
      assertThat(h.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(h.body())));
      assertThat(new String(h.body(), StandardCharsets.UTF_8)).contains("\"seq\":" + h.seq());
    }
    for (String thread : threads) {
      List<Long> firsts = hits.stream().filter(h -> h.thread().equals(thread)).map(Hit::seq).distinct().toList();
      assertThat(firsts).as("thread %s in seq order", thread).isSorted();
    }
  }

  private static String leaseHolder(Cluster cluster) throws Exception {
    try (Connection c = DriverManager.getConnection(cluster.dbUrl());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT holder FROM webhook_receivers")) {
      assertThat(rs.next()).isTrue();
      String holder = rs.getString(1);
      assertThat(rs.next()).as("one receiver").isFalse();
      return holder;
    }
  }
}
