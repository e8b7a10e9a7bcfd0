package dev.parley.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.testing.CuttableRelay;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sees while the store cannot take writes, and after: PostgreSQL cut off through a
 * TCP relay, and a SQLite file write-locked by another process for longer than the busy timeout.
 * While the store is down, sends are refused with {@code unavailable} (never acked), nothing is
 * half-stored, and once the store is back the server carries on by itself with the next seq.
 */
class StoreFaultIT {
  /** The SQLite store's busy timeout (Dialect): a writer waits this long for the lock, then fails. */
  private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path dataDir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void sendsAreRefusedAsUnavailableWhilePostgresIsCutOffAndTheServerRecoversByItself() throws Exception {
    try (TestDatabase db = TestDatabases.postgres()) { // fails under CI=true, skips otherwise
      URI target = URI.create(db.url().substring("jdbc:".length()));
      try (CuttableRelay relay = new CuttableRelay(target.getHost(),
          target.getPort() < 0 ? 5432 : target.getPort())) {
        String relayed = db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + relay.port() + "/");
        // a short wait for a pooled connection, so that a refused send does not take 5 s
        JdbcChatStore store = JdbcChatStore.open(new StoreOptions(relayed, 4, 1_000));
        ServerConfig config = config(dataDir);
        try (ChatServer server = ChatServer.builder(config).store(store).start()) {
          Client c = new Client(server.port());
          Acct alice = c.account(TestServer.uniqueName("alice"));
          Acct bob = c.account(TestServer.uniqueName("bob"));
          String thread = c.group(alice, bob);
          try (WsClient a = c.ws(alice); WsClient b = c.ws(bob)) {
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              assertThat(wsSend(a, thread, "before-" + i, "b" + i).get("seq").asLong()).isEqualTo(i + 1);
              acked.add("before-" + i);
            }

            relay.cut();
            for (int i = 0; i < 3; i++) {
              a.send(sendFrame("d" + i, thread, "during-" + i, "cd" + i));
            }
            for (int i = 0; i < 3; i++) {
              JsonNode answer = a.awaitAnswer("d" + i, Duration.ofSeconds(20));
              assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("error");
              assertThat(answer.get("code").asText()).isEqualTo("unavailable");
            }
            Response rest = c.post("/api/threads/" + thread + "/messages", alice.access,
                "{\"body\":\"during-rest\",\"clientId\":\"cdr\"}");
            assertThat(rest.status()).as(rest.body()).isEqualTo(503);
            assertThat(rest.errorCode()).isEqualTo("unavailable");
            assertThat(c.get("/healthz", null).status()).isEqualTo(503);
            assertThat(a.isClosed()).as("the sender's connection stays open").isFalse();

            relay.restore();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> c.get("/healthz", null).status() == 200);
            assertThat(wsSend(a, thread, "after-0", "a0").get("seq").asLong()).isEqualTo(4);
            Response after = c.post("/api/threads/" + thread + "/messages", alice.access,
                "{\"body\":\"after-1\",\"clientId\":\"a1\"}");
            assertThat(after.status()).as(after.body()).isEqualTo(201);
            assertThat(after.json().get("seq").asLong()).isEqualTo(5);
            assertThat(wsSend(a, thread, "after-2", "a2").get("seq").asLong()).isEqualTo(6);
            acked.addAll(List.of("after-0", "after-1", "after-2"));

            assertOnlyAckedStoredAndDelivered(c, alice, thread, acked, b);
          }
        }
      }
    }
  }

  @Test
  void sendsAreRefusedAsUnavailableWhileSqliteIsWriteLockedLongerThanTheBusyTimeout() throws Exception {
    ServerConfig config = config(dataDir);
    try (ChatServer server = ChatServer.builder(config).start()) {
      Client c = new Client(server.port());
      Acct alice = c.account(TestServer.uniqueName("alice"));
      Acct bob = c.account(TestServer.uniqueName("bob"));
      String thread = c.group(alice, bob);
      try (WsClient a = c.ws(alice); WsClient b = c.ws(bob)) {
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          assertThat(wsSend(a, thread, "before-" + i, "b" + i).get("seq").asLong()).isEqualTo(i + 1);
          acked.add("before-" + i);
        }

        // another process (here: another connection) holds the write lock
        try (Connection locker = DriverManager.getConnection(config.dbUrl());
             Statement st = locker.createStatement()) {
          st.execute("BEGIN EXCLUSIVE");
          long lockedAt = System.nanoTime();
          a.send(sendFrame("l0", thread, "locked-ws", "cl0"));
          CompletableFuture<Response> rest = CompletableFuture.supplyAsync(() -> c.post(
              "/api/threads/" + thread + "/messages", alice.access,
              "{\"body\":\"locked-rest\",\"clientId\":\"cl1\"}"));
          // held until both have their answer: every batch that starts meanwhile meets the lock
          JsonNode answer = a.awaitAnswer("l0", SQLITE_BUSY_TIMEOUT.multipliedBy(3));
          Response refused = rest.join();
          assertThat(Duration.ofNanos(System.nanoTime() - lockedAt))
              .as("the writer waited for the lock first").isGreaterThanOrEqualTo(SQLITE_BUSY_TIMEOUT);
          assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("error");
          assertThat(answer.get("code").asText()).isEqualTo("unavailable");
          assertThat(refused.status()).as(refused.body()).isEqualTo(503);
          assertThat(refused.errorCode()).isEqualTo("unavailable");
          // reads go on beside the lock (WAL)
          assertThat(c.get("/api/threads/" + thread + "/messages", alice.access).status()).isEqualTo(200);
          st.execute("ROLLBACK");
        }

        assertThat(wsSend(a, thread, "after-0", "a0").get("seq").asLong()).isEqualTo(3);
        Response after = c.post("/api/threads/" + thread + "/messages", alice.access,
            "{\"body\":\"after-1\",\"clientId\":\"a1\"}");
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(after.json().get("seq").asLong()).isEqualTo(4);
        acked.addAll(List.of("after-0", "after-1"));

        assertOnlyAckedStoredAndDelivered(c, alice, thread, acked, b);
      }
    }
  }

  /**
   * History holds exactly the acked messages, seq 1..n without gaps, and the other member received
   * exactly those live, in order.
   */
  private static void assertOnlyAckedStoredAndDelivered(Client c, Acct reader, String thread,
                                                        List<String> acked, WsClient member) {
    JsonNode page = c.get("/api/threads/" + thread + "/messages?after=0&limit=200", reader.access).json();
    List<String> bodies = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (JsonNode m : page.get("messages")) {
      bodies.add(m.get("body").asText());
      seqs.add(m.get("seq").asLong());
    }
    assertThat(bodies).containsExactlyElementsOf(acked);
    assertThat(seqs).containsExactlyElementsOf(oneTo(acked.size()));

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> member.ofType("message").size() >= acked.size());
    List<String> live = new ArrayList<>();
    List<Long> liveSeqs = new ArrayList<>();
    for (JsonNode m : member.ofType("message")) {
      live.add(m.get("body").asText());
      liveSeqs.add(m.get("seq").asLong());
    }
    assertThat(live).containsExactlyElementsOf(acked);
    assertThat(liveSeqs).containsExactlyElementsOf(oneTo(acked.size()));
  }

  private static List<Long> oneTo(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  private static String sendFrame(String id, String thread, String body, String clientId) {
    return "{\"type\":\"send\",\"id\":\"" + id + "\",\"thread\":\"" + thread + "\",\"body\":\""
        + body + "\",\"clientId\":\"" + clientId + "\"}";
  }

  /** Sends and waits for the ack (failing on an error answer). */
  private static JsonNode wsSend(WsClient ws, String thread, String body, String id) {
    ws.send(sendFrame(id, thread, body, "c-" + id));
    JsonNode answer = ws.awaitAnswer(id, Duration.ofSeconds(10));
    assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("ack");
    return answer;
  }

  /** A test server's settings on {@code dataDir}. */
  private static ServerConfig config(Path dataDir) {
    return ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir)
        .jwtSecret(TestServer.SECRET).bcryptCost(4).presenceGrace(Duration.ZERO)
        .shutdownTimeout(Duration.ofSeconds(5)).build();
  }

  private record Acct(String id, String access) {
  }

  /** Just enough of the REST API, against a server this test built itself. */
  private final class Client {
    private final int port;

    Client(int port) {
      this.port = port;
    }

    Response request(String method, String path, String token, String body) {
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        rb.header("Content-Type", "application/json");
      }
      if (token != null) {
        rb.header("Authorization", "Bearer " + token);
      }
      try {
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    Response get(String path, String token) {
      return request("GET", path, token, null);
    }

    Response post(String path, String token, String body) {
      return request("POST", path, token, body);
    }

    Acct account(String username) {
      String creds = "{\"username\":\"" + username + "\",\"password\":\"" + TestServer.PASSWORD + "\"}";
      Response r = post("/api/auth/register", null, creds);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      Response login = post("/api/auth/login", null, creds);
      assertThat(login.status()).as(login.body()).isEqualTo(200);
      return new Acct(r.json().get("id").asText(), login.json().get("access").asText());
    }

    String group(Acct creator, Acct other) {
      Response r = post("/api/threads", creator.access,
          "{\"kind\":\"group\",\"title\":\"faults\",\"members\":[\"" + other.id + "\"]}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return r.json().get("id").asText();
    }

    WsClient ws(Acct who) {
      WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), who.access, null);
      ws.awaitType("hello");
      return ws;
    }
  }
}
