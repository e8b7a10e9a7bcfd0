package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.oneTo;
import static dev.parley.server.messaging.Chat.sendFrame;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An acked message survives kill -9 of the server process; seqs stay gap-free across it. */
class DurabilityIT {
  private static final int MESSAGES = 300;
  private static final String[] ARGS = {"--rate-limit", "0", "--bcrypt-cost", "4"};
  private Path dataDir;

  @BeforeEach
  void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("parley-durability");
  }

  @AfterEach
  void deleteDataDir() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void everyAckedMessageSurvivesKillNineAndSeqsGoOnWithoutGaps() {
    Account alice;
    String thread;
    Map<Long, String> acked = new HashMap<>();
    long sendMillis;
    try (ServerProcess first = ServerProcess.start(dataDir, ARGS)) {
      alice = first.register(TestServer.uniqueName("alice"));
      Account bob = first.register(TestServer.uniqueName("bob"));
      TestServer.Response created = first.request("POST", "/api/threads", alice.access(),
          "{\"kind\":\"group\",\"title\":\"durable\",\"members\":[\"" + bob.id() + "\"]}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      thread = created.json().get("id").asText();

      WsClient ws = first.connect(alice.access());
      long start = System.nanoTime();
      for (int i = 1; i <= MESSAGES; i++) {
        ws.send(sendFrame("d" + i, thread, "durable " + i, "c" + i));
      }
      // crash in the middle of the stream: once half the acks are in, the rest are in flight
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
          .until(() -> ws.ofType("ack").size() >= MESSAGES / 2);
      int ackedBeforeKill = ws.ofType("ack").size();
      sendMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      first.kill();
      ws.awaitClose();
      for (JsonNode ack : ws.ofType("ack")) {
        acked.put(ack.get("seq").asLong(), ack.get("messageId").asText());
      }
      System.out.printf("DurabilityIT: %d sends; %d acked after %d ms (%.0f acks/s) when kill -9 was"
              + " issued, %d acks received in all%n", MESSAGES, ackedBeforeKill, sendMillis,
          ackedBeforeKill * 1000.0 / Math.max(1, sendMillis), acked.size());
    }

    try (ServerProcess second = ServerProcess.start(dataDir, ARGS)) {
      List<JsonNode> history = history(second, alice, thread);
      List<Long> seqs = history.stream().map(m -> m.get("seq").asLong()).toList();
      int n = seqs.size();
      assertThat(seqs).as("gap-free seqs after the crash").isEqualTo(oneTo(n));
      assertThat(n).isGreaterThanOrEqualTo(acked.size()).isLessThanOrEqualTo(MESSAGES);
      Map<Long, String> stored = new HashMap<>();
      for (JsonNode m : history) {
        stored.put(m.get("seq").asLong(), m.get("id").asText());
        // messages are stored in the order they were sent
        assertThat(m.get("body").asText()).isEqualTo("durable " + m.get("seq").asLong());
      }
      assertThat(stored).as("every acked message is in the history").containsAllEntriesOf(acked);

      try (WsClient ws = second.connect(alice.access())) {
        ws.send(sendFrame("next", thread, "after the crash", null));
        JsonNode ack = ws.awaitId("next");
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.get("seq").asLong()).isEqualTo(n + 1);

        // a resend of a clientId stored before the crash is still recognised
        if (n > 0) {
          ws.send(sendFrame("again", thread, "durable 1", "c1"));
          JsonNode again = ws.awaitId("again");
          assertThat(again.get("seq").asLong()).isEqualTo(1);
          assertThat(again.get("messageId").asText()).isEqualTo(stored.get(1L));
        }
      }
      System.out.printf("DurabilityIT: %d of %d messages stored after kill -9, next seq %d%n",
          n, MESSAGES, n + 1);
    }
  }

  @Test
  void everyAckedChangeSurvivesKillNineLikeAMessage() {
    Account alice;
    String thread;
    Map<Long, String> ackedEdits = new HashMap<>();
    try (ServerProcess first = ServerProcess.start(dataDir, ARGS)) {
      alice = first.register(TestServer.uniqueName("alice"));
      TestServer.Response created = first.request("POST", "/api/threads", alice.access(),
          "{\"kind\":\"group\",\"title\":\"durable\",\"members\":[]}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      thread = created.json().get("id").asText();

      WsClient ws = first.connect(alice.access());
      ws.send(sendFrame("base", thread, "version 0", "c0"));
      assertThat(ws.awaitId("base").get("seq").asLong()).isEqualTo(1);
      for (int i = 1; i <= MESSAGES; i++) {
        ws.send("{\"type\":\"edit\",\"id\":\"e" + i + "\",\"thread\":\"" + thread
            + "\",\"target\":1,\"body\":\"version " + i + "\",\"clientId\":\"c" + i + "\"}");
      }
      // crash in the middle of the stream of edits
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
          .until(() -> ws.ofType("ack").size() >= MESSAGES / 2);
      first.kill();
      ws.awaitClose();
      for (JsonNode ack : ws.ofType("ack")) {
        if (ack.get("id").asText().startsWith("e")) {
          ackedEdits.put(ack.get("seq").asLong(), "version " + ack.get("id").asText().substring(1));
        }
      }
    }

    try (ServerProcess second = ServerProcess.start(dataDir, ARGS);
         WsClient ws = second.connect(alice.access())) {
      ws.send("{\"type\":\"sync\",\"id\":\"y\",\"threads\":{\"" + thread + "\":0}}");
      ws.awaitId("y");
      List<JsonNode> log = ws.received().stream()
          .filter(n -> List.of("message", "edited").contains(n.path("type").asText())).toList();
      List<Long> seqs = log.stream().map(n -> n.get("seq").asLong()).toList();
      assertThat(seqs).as("gap-free log after the crash").isEqualTo(oneTo(seqs.size()));
      Map<Long, String> storedEdits = new HashMap<>();
      for (JsonNode n : log.subList(1, log.size())) {
        assertThat(n.get("type").asText()).isEqualTo("edited");
        storedEdits.put(n.get("seq").asLong(), n.get("body").asText());
      }
      assertThat(storedEdits).as("every acked edit is in the log").containsAllEntriesOf(ackedEdits);
      String last = log.get(log.size() - 1).get("body").asText();
      assertThat(history(second, alice, thread).get(0).get("body").asText())
          .as("history shows the last stored edit").isEqualTo(last);
      System.out.printf("DurabilityIT: %d of %d edits acked before kill -9, %d stored%n",
          ackedEdits.size(), MESSAGES, storedEdits.size());
    }
  }

  private static List<JsonNode> history(ServerProcess server, Account a, String thread) {
    List<JsonNode> out = new ArrayList<>();
    long after = 0;
    while (true) {
      TestServer.Response r = server.request("GET",
          "/api/threads/" + thread + "/messages?limit=200&after=" + after, a.access(), null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      r.json().get("messages").forEach(out::add);
      if (!r.json().get("hasMore").asBoolean()) {
        return out;
      }
      after = out.get(out.size() - 1).get("seq").asLong();
    }
  }
}
