package dev.parley.server.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatListener;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host application of {@link EmbeddedChat}: its own users, tokens, interceptor and listener. */
class EmbeddingIT {
  private static KeyPair hostKeys;

  @TempDir
  Path dataDir;

  @BeforeAll
  static void keys() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    hostKeys = generator.generateKeyPair();
  }

  private static String hostToken(User user, Duration ttl) {
    return JWT.create()
        .withIssuer("host-app")
        .withSubject(user.id())
        .withClaim("name", user.username())
        .withExpiresAt(Instant.now().plus(ttl))
        .sign(Algorithm.RSA256((RSAPublicKey) hostKeys.getPublic(), (RSAPrivateKey) hostKeys.getPrivate()));
  }

  @Test
  void hostUsersChatWithHostTokensThroughAnInterceptorAndAListener() throws Exception {
    List<Message> stored = new CopyOnWriteArrayList<>();
    List<String> joined = new CopyOnWriteArrayList<>();
    ChatListener listener = new ChatListener() {
      @Override
      public void messageStored(Message message) {
        stored.add(message);
      }

      @Override
      public void memberAdded(ChatThread thread, String userId) {
        joined.add(userId);
      }
    };
    int port;
    try (EmbeddedChat chat = new EmbeddedChat(dataDir, 0, (RSAPublicKey) hostKeys.getPublic(), listener)) {
      port = chat.port();
      assertThat(port).isPositive();
      User ann = chat.engine().accounts().createManagedUser("ann", "Ann");
      User ben = chat.engine().accounts().createManagedUser("ben", "Ben");
      ChatThread thread = chat.engine().conversations().createGroup(ann.id(), "launch", List.of(ben.id()));
      await().atMost(Duration.ofSeconds(5)).until(() -> joined.containsAll(List.of(ann.id(), ben.id())));

      URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
      try (WsClient a = WsClient.connect(ws, hostToken(ann, Duration.ofMinutes(5)), null);
           WsClient b = WsClient.connect(ws, hostToken(ben, Duration.ofMinutes(5)), null)) {
        assertThat(a.awaitType("hello").path("user").path("id").asText()).isEqualTo(ann.id());
        b.awaitType("hello");

        a.send("{\"type\":\"send\",\"id\":\"1\",\"thread\":\"" + thread.id() + "\",\"body\":\"  hello ben  \"}");
        assertThat(a.awaitId("1").path("seq").asLong()).isEqualTo(1);
        JsonNode got = b.awaitType("message");
        assertThat(got.path("body").asText()).isEqualTo("hello ben"); // rewritten by the interceptor

        a.send("{\"type\":\"send\",\"id\":\"2\",\"thread\":\"" + thread.id() + "\",\"body\":\"buy spam\"}");
        JsonNode refused = a.awaitId("2");
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("code").asText()).isEqualTo("forbidden");

        Message system = chat.engine().messages().post("system", thread.id(), "Ben joined").get();
        assertThat(system.seq()).isEqualTo(2);
        assertThat(b.awaitType("message").path("sender").asText()).isEqualTo("system");

        await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 2);
        assertThat(stored).extracting(Message::body).containsExactly("hello ben", "Ben joined");
        assertThat(chat.engine().messages().history(thread.id(), null, null, 50).messages())
            .extracting(Message::seq).containsExactly(1L, 2L);

        chat.engine().accounts().setDisabled(ben.id(), true);
        assertThat(b.awaitClose()).isEqualTo(CloseCodes.USER_DISABLED);
      }

      // a refused host token never opens a WebSocket
      User eve = new User("nobody", "eve", "eve");
      String expired = hostToken(eve, Duration.ofMinutes(-5));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> WsClient.connect(ws, expired, null))
          .hasStackTraceContaining("401");
    }

    try (ServerSocket again = new ServerSocket(port)) {
      assertThat(again.getLocalPort()).isEqualTo(port); // the port was released
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Thread.getAllStackTraces().keySet())
            .filteredOn(t -> t.isAlive() && t.getName().startsWith("parley-"))
            .extracting(Thread::getName)
            .isEmpty());
  }

  @Test
  void startsOnAFreePortAndStopsCleanlyWithNothingSent() throws IOException {
    Path dir = Files.createDirectories(dataDir.resolve("second"));
    try (EmbeddedChat chat = new EmbeddedChat(dir, 0, (RSAPublicKey) hostKeys.getPublic(), new ChatListener() { })) {
      assertThat(chat.port()).isPositive();
      assertThat(chat.engine().isHealthy()).isTrue();
    }
  }
}
