package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --trusted-proxies}: the per-address failed-login bucket (30 failures) follows
 * X-Forwarded-For when the TCP peer (here 127.0.0.1) is a trusted proxy, and the TCP peer when
 * it is not. Failures go to many usernames so that no per-account bucket (10) runs dry.
 */
class ForwardedForIT {
  private static final int ADDRESS_BURST = 30;

  @Test
  void perAddressLoginLimitFollowsForwardedForFromATrustedPeer() {
    try (TestServer server = TestServer.start(b -> b.trustedProxies(List.of("127.0.0.1/32")))) {
      TestServer.Account someone = server.register(TestServer.uniqueName("someone"));
      for (int i = 0; i < ADDRESS_BURST; i++) {
        assertThat(login(server, "nobody" + (i % 5), "guess-" + i, "198.51.100.1, 203.0.113.7").status())
            .isEqualTo(401);
      }
      Response limited = login(server, someone.username(), TestServer.PASSWORD, "203.0.113.7");
      assertThat(limited.status()).as(limited.body()).isEqualTo(429);
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
      // the proxy's own address and other clients behind it are not limited
      assertThat(login(server, someone.username(), TestServer.PASSWORD, "203.0.113.8").status()).isEqualTo(200);
      assertThat(login(server, someone.username(), TestServer.PASSWORD, null).status()).isEqualTo(200);
      // a spoofed leftmost hop does not escape: the rightmost untrusted hop is still 203.0.113.7
      assertThat(login(server, someone.username(), TestServer.PASSWORD, "203.0.113.99, 203.0.113.7").status())
          .isEqualTo(429);
    }
  }

  @Test
  void forwardedForIsIgnoredFromAnUntrustedPeer() {
    try (TestServer server = TestServer.start(b -> b.trustedProxies(List.of("10.0.0.0/8")))) {
      TestServer.Account someone = server.register(TestServer.uniqueName("someone"));
      for (int i = 0; i < ADDRESS_BURST; i++) {
        // a different made-up address each time: were it believed, no bucket would run dry
        assertThat(login(server, "nobody" + (i % 5), "guess-" + i, "203.0.113." + (i + 1)).status())
            .isEqualTo(401);
      }
      assertThat(login(server, someone.username(), TestServer.PASSWORD, "198.51.100.77").status())
          .as("counted on the TCP peer 127.0.0.1, whatever the header says").isEqualTo(429);
    }
  }

  private static Response login(TestServer server, String username, String password, String forwardedFor) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(server.uri("/api/auth/login"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
    if (forwardedFor != null) {
      rb.header("X-Forwarded-For", forwardedFor);
    }
    return server.send(rb.build());
  }
}
