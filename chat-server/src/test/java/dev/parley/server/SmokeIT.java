package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;

class SmokeIT {
  @Test
  void twoUsersChatInAGroup() {
    try (TestServer server = TestServer.start()) {
      TestServer.Account alice = server.register(TestServer.uniqueName("alice"));
      TestServer.Account bob = server.register(TestServer.uniqueName("bob"));
      String thread = server.group(alice, "tea", bob);
      try (WsClient a = server.connect(alice.access()); WsClient b = server.connect(bob.access())) {
        a.send("{\"type\":\"send\",\"id\":\"s1\",\"thread\":\"" + thread + "\",\"body\":\"hi\"}");
        JsonNode ack = a.awaitId("s1");
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.get("seq").asLong()).isEqualTo(1);
        JsonNode got = b.awaitType("message");
        assertThat(got.get("body").asText()).isEqualTo("hi");
        assertThat(got.get("seq").asLong()).isEqualTo(1);
      }
    }
  }
}
