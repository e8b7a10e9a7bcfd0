package dev.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection caps, the header timeout against slowloris, and the login brute-force limit. */
class ResourceLimitsIT {

  /** True once the server has closed the socket (EOF or reset). */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[1024];
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  /** Connections are accepted on several event loops, so which one is refused is not fixed. */
  private static long refusedAmong(List<Socket> sockets) {
    return sockets.stream().filter(ResourceLimitsIT::closedByServer).count();
  }

  @Test
  void refusesConnectionsOverThePerAddressLimitAndServesOthersAgainAfterwards() throws IOException {
    try (TestServer server = TestServer.start(b -> b.maxConnectionsPerAddress(3))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          sockets.add(new Socket("127.0.0.1", server.port()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refusedAmong(sockets) == 1);
        assertThat(refusedAmong(sockets)).isEqualTo(1); // and it stays at one
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      await().atMost(Duration.ofSeconds(5))
          .until(() -> server.get("/healthz", null).status() == 200);
    }
  }

  @Test
  void refusesConnectionsOverTheTotalLimit() throws IOException {
    try (TestServer server = TestServer.start(b -> b.maxConnections(2))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          sockets.add(new Socket("127.0.0.1", server.port()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refusedAmong(sockets) == 1);
        assertThat(refusedAmong(sockets)).isEqualTo(1);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  @Test
  void closesASlowlorisClientThatNeverFinishesItsHeaders() throws Exception {
    try (TestServer server = TestServer.start(b -> b.headerTimeout(Duration.ofSeconds(1)));
         Socket slow = new Socket("127.0.0.1", server.port())) {
      OutputStream out = slow.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      // trickle one header byte at a time: never idle, never done
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
        try {
          out.write('x');
          out.flush();
        } catch (IOException e) {
          return true;
        }
        return closedByServer(slow);
      });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(server.get("/healthz", null).status()).isEqualTo(200);
    }
  }

  @Test
  void slowsDownPasswordGuessingPerAccount() {
    try (TestServer server = TestServer.start()) {
      TestServer.Account victim = server.register(TestServer.uniqueName("victim"));
      String wrong = "{\"username\":\"" + victim.username() + "\",\"password\":\"wrong-password\"}";
      for (int i = 0; i < 10; i++) {
        assertThat(server.post("/api/auth/login", null, wrong).status()).isEqualTo(401);
      }
      TestServer.Response limited = server.post("/api/auth/login", null, wrong);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
      String right = "{\"username\":\"" + victim.username().toUpperCase() + "\",\"password\":\""
          + TestServer.PASSWORD + "\"}";
      assertThat(server.post("/api/auth/login", null, right).status()).isEqualTo(429);
      // other accounts are not affected
      TestServer.Account other = server.register(TestServer.uniqueName("other"));
      assertThat(other.access()).isNotBlank();
    }
  }

  @Test
  void slowsDownPasswordGuessingPerAddressAcrossAccounts() {
    try (TestServer server = TestServer.start()) {
      TestServer.Account someone = server.register(TestServer.uniqueName("someone"));
      // 30 failures spread over many usernames (never 10 on one): the address bucket runs dry
      for (int i = 0; i < 30; i++) {
        String guess = "{\"username\":\"nobody" + (i % 5) + "\",\"password\":\"guess-" + i + "\"}";
        assertThat(server.post("/api/auth/login", null, guess).status()).isEqualTo(401);
      }
      String right = "{\"username\":\"" + someone.username() + "\",\"password\":\""
          + TestServer.PASSWORD + "\"}";
      TestServer.Response limited = server.post("/api/auth/login", null, right);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.errorCode()).isEqualTo("rate_limited");
    }
  }
}
