package dev.parley.server.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Odd but valid or plainly wrong bodies of POST /api/threads (one was a 500, found by HttpFuzzTest). */
class ThreadCreateBodyIT {
  @Test
  void aGroupWithoutAMembersListHasItsCreatorAloneAndBadListsAre400() {
    try (TestServer server = TestServer.start()) {
      TestServer.Account ann = server.register(TestServer.uniqueName("ann"));
      TestServer.Response alone = server.post("/api/threads", ann.access(), "{\"kind\":\"group\",\"title\":\"solo\"}");
      assertThat(alone.status()).as(alone.body()).isEqualTo(201);
      assertThat(alone.json().path("members")).hasSize(1);
      assertThat(alone.json().path("members").get(0).path("id").asText()).isEqualTo(ann.id());

      TestServer.Response nullMember = server.post("/api/threads", ann.access(),
          "{\"kind\":\"group\",\"title\":\"t\",\"members\":[null]}");
      assertThat(nullMember.status()).isEqualTo(400);
      assertThat(nullMember.errorCode()).isEqualTo("bad_request");

      TestServer.Response noKind = server.post("/api/threads", ann.access(), "{\"title\":\"t\",\"members\":[]}");
      assertThat(noKind.status()).isEqualTo(400);
      TestServer.Response directAlone = server.post("/api/threads", ann.access(), "{\"kind\":\"direct\"}");
      assertThat(directAlone.status()).isEqualTo(400);
    }
  }
}
