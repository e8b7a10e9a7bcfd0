package dev.parley.server.messaging;

import static dev.parley.server.messaging.Chat.sendFrame;
import static dev.parley.server.messaging.Chat.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The edges of {@code GET /api/threads/{id}/messages}, over a thread of 210 messages. */
class HistoryPagingIT {
  private static final int COUNT = 210;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.rateLimit(0));
  private static Account alice;
  private static Account eve;
  private static String full;
  private static String empty;

  @BeforeAll
  static void start() {
    alice = user(server, "alice");
    Account bob = user(server, "bob");
    eve = user(server, "eve");
    full = server.group(alice, "full", bob);
    empty = server.group(alice, "empty", bob);
    try (WsClient a = server.connect(alice.access())) {
      for (int i = 1; i <= COUNT; i++) {
        a.send(sendFrame(null, full, "m" + i, null));
      }
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> a.ofType("ack").size() == COUNT);
    }
  }

  private record Page(List<Long> seqs, boolean hasMore) {
  }

  private static Page page(String thread, String query) {
    Response r = server.get("/api/threads/" + thread + "/messages" + query, alice.access());
    assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(200);
    List<Long> seqs = new ArrayList<>();
    for (JsonNode m : r.json().get("messages")) {
      seqs.add(m.get("seq").asLong());
      assertThat(m.get("body").asText()).isEqualTo("m" + m.get("seq").asLong());
    }
    assertThat(r.json().get("hasMore").isBoolean()).isTrue();
    return new Page(seqs, r.json().get("hasMore").asBoolean());
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void emptyThreadHasNoMessagesAndNoMore() {
    assertThat(page(empty, "")).isEqualTo(new Page(List.of(), false));
    assertThat(page(empty, "?after=0")).isEqualTo(new Page(List.of(), false));
    assertThat(page(empty, "?before=10")).isEqualTo(new Page(List.of(), false));
  }

  @Test
  void withoutBoundsGivesTheLatestFiftyAscending() {
    assertThat(page(full, "")).isEqualTo(new Page(range(161, 210), true));
    assertThat(page(full, "?limit=10")).isEqualTo(new Page(range(201, 210), true));
    assertThat(page(full, "?limit=210")).isEqualTo(new Page(range(11, 210), true));
  }

  @Test
  void limitAbove200CountsAs200() {
    assertThat(page(full, "?limit=201")).isEqualTo(new Page(range(11, 210), true));
    assertThat(page(full, "?limit=100000")).isEqualTo(new Page(range(11, 210), true));
    assertThat(page(full, "?after=0&limit=999")).isEqualTo(new Page(range(1, 200), true));
  }

  @Test
  void refusesLimitBelowOneOrNotAnInteger() {
    for (String bad : List.of("?limit=0", "?limit=-1", "?limit=abc", "?limit=1.5", "?before=abc",
        "?after=x", "?limit=")) {
      Response r = server.get("/api/threads/" + full + "/messages" + bad, alice.access());
      assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
      assertThat(r.errorCode()).as(bad).isEqualTo("bad_request");
    }
  }

  @Test
  void afterAlonePagesForward() {
    assertThat(page(full, "?after=0&limit=5")).isEqualTo(new Page(range(1, 5), true));
    assertThat(page(full, "?after=10&limit=5")).isEqualTo(new Page(range(11, 15), true));
    assertThat(page(full, "?after=200")).isEqualTo(new Page(range(201, 210), false));
    assertThat(page(full, "?after=205&limit=5")).isEqualTo(new Page(range(206, 210), false));
    assertThat(page(full, "?after=210")).isEqualTo(new Page(List.of(), false));
    assertThat(page(full, "?after=5000")).isEqualTo(new Page(List.of(), false));
  }

  @Test
  void beforeAlonePagesBackward() {
    assertThat(page(full, "?before=11")).isEqualTo(new Page(range(1, 10), false));
    assertThat(page(full, "?before=100&limit=5")).isEqualTo(new Page(range(95, 99), true));
    assertThat(page(full, "?before=6&limit=5")).isEqualTo(new Page(range(1, 5), false));
    assertThat(page(full, "?before=1")).isEqualTo(new Page(List.of(), false));
    assertThat(page(full, "?before=5000&limit=3")).isEqualTo(new Page(range(208, 210), true));
  }

  @Test
  void bothBoundsGiveTheLastLimitBeforeWithinTheRange() {
    assertThat(page(full, "?after=10&before=20")).isEqualTo(new Page(range(11, 19), false));
    assertThat(page(full, "?after=10&before=20&limit=3")).isEqualTo(new Page(range(17, 19), true));
    assertThat(page(full, "?after=10&before=14&limit=3")).isEqualTo(new Page(range(11, 13), false));
    assertThat(page(full, "?after=10&before=11")).isEqualTo(new Page(List.of(), false));
  }

  @Test
  void pagingBackwardWalksTheWholeThreadOnce() {
    List<Long> all = new ArrayList<>();
    Page p = page(full, "?limit=64");
    all.addAll(0, p.seqs());
    while (p.hasMore()) {
      p = page(full, "?limit=64&before=" + p.seqs().get(0));
      all.addAll(0, p.seqs());
    }
    assertThat(all).isEqualTo(range(1, COUNT));
  }

  @Test
  void refusesOutsidersAndUnknownThreads() {
    Response outsider = server.get("/api/threads/" + full + "/messages", eve.access());
    assertThat(outsider.status()).as(outsider.body()).isEqualTo(403);
    assertThat(outsider.errorCode()).isEqualTo("forbidden");
    Response unknown = server.get("/api/threads/no-such-thread/messages", alice.access());
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
  }
}
