package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: no internal text reaches a client. A real SQLite store, write-locked by another
 * connection for longer than its busy timeout, fails REST and WebSocket writes; the clients get
 * {@code unavailable} with a generic message and a ref, the log has the driver's detail under that
 * ref exactly once, and {@code /metrics} counts each hidden failure.
 */
class StoreErrorsHiddenIT {
  /** The SQLite store's busy timeout (Dialect); every write waits this long, then fails. */
  private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern REF = Pattern.compile("\\(ref ([A-Za-z0-9_-]+)\\)");

  @Test
  void storeFailuresReachClientsAsGenericUnavailableWithARefAndAreLoggedAndCounted() throws Exception {
    try (TestServer server = TestServer.start(); LogCapture logs = new LogCapture()) {
      Account alice = server.register(TestServer.uniqueName("alice"));
      Account bob = server.register(TestServer.uniqueName("bob"));
      String thread = server.group(alice, "errors", bob);
      try (WsClient ws = server.connect(alice.access())) {
        ws.send("{\"type\":\"send\",\"id\":\"s0\",\"thread\":\"" + thread + "\",\"body\":\"first\"}");
        assertThat(ws.awaitAnswer("s0", Duration.ofSeconds(10)).get("type").asText()).isEqualTo("ack");

        List<String> clientTexts = new ArrayList<>();
        try (Connection locker = DriverManager.getConnection(server.server().config().dbUrl());
             Statement st = locker.createStatement()) {
          st.execute("BEGIN EXCLUSIVE");
          // a write straight to the store, and one through the commit queue, on each transport
          CompletableFuture<Response> createThread = CompletableFuture.supplyAsync(() -> server.post(
              "/api/threads", alice.access(),
              "{\"kind\":\"group\",\"title\":\"locked\",\"members\":[\"" + bob.id() + "\"]}"));
          CompletableFuture<Response> restSend = CompletableFuture.supplyAsync(() -> server.post(
              "/api/threads/" + thread + "/messages", alice.access(), "{\"body\":\"locked-rest\"}"));
          ws.send("{\"type\":\"send\",\"id\":\"s1\",\"thread\":\"" + thread + "\",\"body\":\"locked-ws\"}");
          ws.send("{\"type\":\"read\",\"id\":\"r1\",\"thread\":\"" + thread + "\",\"seq\":1}");

          Duration within = SQLITE_BUSY_TIMEOUT.multipliedBy(3);
          for (Response r : List.of(createThread.get(within.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
              restSend.get(within.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))) {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("unavailable");
            clientTexts.add(r.body());
          }
          for (String id : List.of("s1", "r1")) {
            JsonNode error = ws.awaitAnswer(id, within);
            assertThat(error.get("type").asText()).as(error.toString()).isEqualTo("error");
            assertThat(error.get("code").asText()).isEqualTo("unavailable");
            clientTexts.add(error.toString());
          }
          st.execute("ROLLBACK");
        }

        String dataDir = server.dataDir().toString();
        List<String> refs = new ArrayList<>();
        for (String text : clientTexts) {
          String lower = text.toLowerCase(Locale.ROOT);
          assertThat(lower).as(text).doesNotContain("sql", "jdbc", "locked", "busy", "exception",
              "select", "insert", "update", "chat.db");
          assertThat(text).as(text).doesNotContain(dataDir);
          Matcher m = REF.matcher(text);
          assertThat(m.find()).as("a correlation ref in " + text).isTrue();
          refs.add(m.group(1));
        }
        assertThat(refs).doesNotHaveDuplicates();

        List<String> lines = logs.lines();
        for (String ref : refs) {
          List<String> withRef = lines.stream().filter(l -> l.contains("ref " + ref)).toList();
          assertThat(withRef).as("log lines of ref " + ref).hasSize(1);
          assertThat(withRef.get(0)).containsIgnoringCase("SQLITE_BUSY");
        }

        String metrics = server.get("/metrics", null).body();
        assertThat(counter(metrics, "rest", "unavailable")).isGreaterThanOrEqualTo(2);
        assertThat(counter(metrics, "ws", "unavailable")).isGreaterThanOrEqualTo(2);
        assertThat(metrics).contains("# HELP chat_hidden_errors_total", "# TYPE chat_hidden_errors_total counter");

        // words we wrote for users still reach them
        ws.send("{\"type\":\"read\",\"id\":\"r2\",\"thread\":\"" + thread + "\",\"seq\":-1}");
        assertThat(ws.awaitAnswer("r2", Duration.ofSeconds(10)).get("message").asText())
            .isEqualTo("seq must not be negative");
        Response tooShort = server.post("/api/auth/register", null,
            "{\"username\":\"" + TestServer.uniqueName("c") + "\",\"password\":\"short\"}");
        assertThat(tooShort.json().at("/error/message").asText()).contains("at least 8 characters");
      }
    }
  }

  private static double counter(String metrics, String transport, String code) {
    Pattern line = Pattern.compile("^chat_hidden_errors_total\\{(?=[^}]*code=\"" + code
        + "\")(?=[^}]*transport=\"" + transport + "\")[^}]*\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
