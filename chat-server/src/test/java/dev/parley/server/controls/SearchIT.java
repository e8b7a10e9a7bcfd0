package dev.parley.server.controls;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.TestServer.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/search} (contract 7.3) over REST, on the default SQLite store. */
class SearchIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static Account user(String prefix) {
    return server.register(TestServer.uniqueName(prefix));
  }

  private static Response search(Account who, String query) {
    return server.get("/api/search?" + query, who.access());
  }

  private static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void post(Account from, String thread, String body) {
    Response r = server.post("/api/threads/" + thread + "/messages", from.access(),
        "{\"body\":\"" + body + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static List<String> bodies(JsonNode results) {
    List<String> out = new ArrayList<>();
    results.forEach(m -> out.add(m.get("body").asText()));
    return out;
  }

  @Test
  void findsMessagesOfTheCallersThreadsNewestFirstWithWhatItTakesToJumpThere() {
    Account ann = user("ann");
    Account ben = user("ben");
    Account outsider = user("out");
    String group = server.group(ann, "g", ben);
    String word = "zebra" + System.nanoTime();
    post(ann, group, "Un Café " + word);
    post(ben, group, "café " + word + " again");

    Response r = search(ben, q("CAFE " + word));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().get("results");
    assertThat(bodies(results)).containsExactly("café " + word + " again", "Un Café " + word);
    JsonNode first = results.get(0);
    assertThat(first.get("thread").asText()).isEqualTo(group);
    assertThat(first.get("seq").asLong()).isEqualTo(2);
    assertThat(first.has("id") && first.has("sender") && first.has("ts")).isTrue();
    assertThat(r.json().get("next").isNull()).isTrue();

    assertThat(search(outsider, q(word)).json().get("results")).isEmpty();
    assertError(search(outsider, q(word) + "&thread=" + group), 403, "forbidden");
    assertError(search(ann, q(word) + "&thread=no-such-thread"), 404, "not_found");
  }

  @Test
  void pagesWithACursor() {
    Account ann = user("ann");
    String group = server.group(ann, "g");
    String word = "paging" + System.nanoTime();
    for (int i = 1; i <= 5; i++) {
      post(ann, group, word + " " + i);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Response r = search(ann, q(word) + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      seen.addAll(bodies(r.json().get("results")));
      cursor = r.json().get("next").isNull() ? null : r.json().get("next").asText();
    } while (cursor != null);
    assertThat(seen).containsExactly(word + " 5", word + " 4", word + " 3", word + " 2", word + " 1");
  }

  @Test
  void badInputGetsADocumentedError() {
    Account ann = user("ann");
    String group = server.group(ann, "g");
    post(ann, group, "quoted OR near");
    assertError(search(ann, ""), 400, "bad_request");
    assertError(search(ann, q("?!.,;:- \"*()")), 400, "bad_request");
    assertError(search(ann, q("a".repeat(257))), 400, "bad_request");
    assertError(search(ann, q("x".repeat(10_000))), 400, "bad_request");
    assertError(search(ann, q("word") + "&limit=0"), 400, "bad_request");
    assertError(search(ann, q("word") + "&limit=ten"), 400, "bad_request");
    assertError(search(ann, q("word") + "&cursor=%21%21"), 400, "bad_request");
    for (String fts : List.of("\"quoted", "quoted*", "NEAR(quoted", "quoted OR", "(quoted))", "^quoted")) {
      Response r = search(ann, q(fts));
      assertThat(r.status()).as(fts + ": " + r.body()).isEqualTo(200);
      assertThat(bodies(r.json().get("results"))).as(fts).containsExactly("quoted OR near");
    }
    assertThat(search(ann, q("word") + "&limit=1000").status()).isEqualTo(200);
  }
}
