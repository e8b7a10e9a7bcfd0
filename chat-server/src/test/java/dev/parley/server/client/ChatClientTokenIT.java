package dev.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ChatClient;
import dev.parley.client.RefreshingTokens;
import dev.parley.client.SendAck;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With short-lived tokens, {@link ChatClient} refreshes through {@code POST /api/auth/refresh} and
 * an in-band {@code auth} frame before the token expires, so the server never closes the
 * connection with 4401.
 */
class ChatClientTokenIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(b -> b.tokenTtl(Duration.ofSeconds(3))
      .tokenGrace(Duration.ofMillis(500)));

  @Test
  void theConnectionOutlivesSeveralTokens() {
    Account ada = server.register(TestServer.uniqueName("ada"));
    Account bob = server.register(TestServer.uniqueName("bob"));
    String thread = server.direct(ada, bob);
    RefreshingTokens tokens = new RefreshingTokens(server.uri(""), ada.access(), ada.refresh());
    try (ChatClient a = ChatClient.builder(server.uri("")).tokens(tokens).build()) {
      a.connect().orTimeout(15, TimeUnit.SECONDS).join();

      await().atMost(Duration.ofSeconds(20)).until(() -> tokens.refreshes() >= 3);

      SendAck ack = a.send(thread, "still here").orTimeout(15, TimeUnit.SECONDS).join();
      assertThat(ack.seq()).isEqualTo(1);
      assertThat(a.connects()).as("never dropped for an expired token").isEqualTo(1);
    }
  }
}
