package dev.parley.server.cluster;

import static dev.parley.server.testing.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.CloseCodes;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Account;
import dev.parley.server.testing.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Revocation across a cluster (contract 7.1): a session ended on one node is refused and its
 * sockets are closed with 4401 within 2 s on the other; a ticket issued by one node opens a
 * socket on the other, once.
 */
class ClusterSessionsIT {
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);

  @RegisterExtension
  static final ClusterNodes cluster = ClusterNodes.of(2);
  private static ServerProcess a;
  private static ServerProcess b;

  @BeforeAll
  static void nameNodes() {
    a = cluster.node(0);
    b = cluster.node(1);
  }

  private static Account login(ServerProcess node, Account user) {
    TestServer.Response r = node.request("POST", "/api/auth/login", null, "{\"username\":\""
        + user.username() + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new Account(user.id(), user.username(), r.json().get("access").asText(),
        r.json().get("refresh").asText());
  }

  @Test
  void aLogoutOnOneNodeClosesTheSessionsSocketsOnTheOther() {
    Account alice = a.register(TestServer.uniqueName("cl_out"));
    Account other = login(b, alice);
    WsClient onB = b.connect(alice.access());
    WsClient otherOnB = b.connect(other.access());

    assertThat(a.request("POST", "/api/auth/logout", null,
        "{\"refresh\":\"" + alice.refresh() + "\"}").status()).isEqualTo(204);

    assertThat(onB.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertError(b.request("GET", "/api/users/me", alice.access(), null), 401, "unauthorized");
    assertError(b.request("POST", "/api/auth/refresh", null,
        "{\"refresh\":\"" + alice.refresh() + "\"}"), 401, "unauthorized");
    // the user's other session, on the same node, is untouched
    otherOnB.send("{\"type\":\"ping\",\"id\":\"p\"}");
    assertThat(otherOnB.awaitId("p").get("type").asText()).isEqualTo("pong");
    assertThat(b.request("GET", "/api/users/me", other.access(), null).status()).isEqualTo(200);
    otherOnB.close();
  }

  @Test
  void aPasswordChangeOnOneNodeClosesTheOtherSessionsEverywhere() {
    Account bob = b.register(TestServer.uniqueName("cl_pw"));
    Account onA = login(a, bob);
    WsClient socketOnA = a.connect(onA.access());
    WsClient ownOnB = b.connect(bob.access());

    assertThat(b.request("POST", "/api/users/me/password", bob.access(),
        "{\"current\":\"" + TestServer.PASSWORD + "\",\"new\":\"another password\"}").status())
        .isEqualTo(204);

    assertThat(socketOnA.awaitClose(CLOSE_WITHIN)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
    assertError(a.request("GET", "/api/users/me", onA.access(), null), 401, "unauthorized");
    assertThat(a.request("GET", "/api/users/me", bob.access(), null).status()).isEqualTo(200);
    assertThat(ownOnB.isClosed()).isFalse();
    ownOnB.close();
  }

  @Test
  void aTicketFromOneNodeOpensOneSocketOnTheOther() {
    Account carol = a.register(TestServer.uniqueName("cl_ticket"));
    TestServer.Response r = a.request("POST", "/api/auth/ticket", carol.access(), null);
    assertThat(r.status()).isEqualTo(200);
    String ticket = r.json().get("ticket").asText();

    WsClient ws = WsClient.connect(b.wsUri("/ws?ticket=" + ticket), null, null);
    assertThat(ws.awaitType("hello").get("user").get("id").asText()).isEqualTo(carol.id());

    // already used, whichever node is asked
    for (ServerProcess node : List.of(a, b)) {
      assertThatThrownBy(() -> WsClient.connect(node.wsUri("/ws?ticket=" + ticket), null, null))
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(WebSocketHandshakeException.class)
          .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
              .isEqualTo(401));
    }
    ws.close();
  }
}
