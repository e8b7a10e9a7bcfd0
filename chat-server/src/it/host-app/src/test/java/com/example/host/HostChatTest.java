package com.example.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ChatServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host sees of the installed artifacts, and a real round trip through the embedded server. */
class HostChatTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void chatServerIsTheThinJar() throws Exception {
    Path jar = Path.of(ChatServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(jar.getFileName().toString().matches("chat-server-[^-]+(-SNAPSHOT)?\\.jar"), jar.toString());
    try (JarFile file = new JarFile(jar.toFile())) {
      assertTrue(file.stream().noneMatch(e -> e.getName().startsWith("io/netty/")), "Netty inside " + jar);
      assertTrue(file.stream().noneMatch(e -> e.getName().startsWith("ch/qos/logback/")), "Logback inside " + jar);
      assertNull(file.getEntry("logback.xml"), "logback.xml inside " + jar);
    }
  }

  @Test
  void noLoggingBackendComesWithParley() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.LoggerContext"));
    assertNull(getClass().getClassLoader().getResource("logback.xml"));
  }

  @Test
  void theEmbeddedServerWorksOnTheHostsPool(@TempDir Path dir) throws Exception {
    try (HostChat chat = new HostChat(dir)) {
      String base = "http://127.0.0.1:" + chat.port();
      HttpResponse<String> registered = post(base + "/api/auth/register",
          "{\"username\":\"hostuser\",\"password\":\"correct-horse\"}", null);
      assertEquals(201, registered.statusCode(), registered.body());
      HttpResponse<String> login = post(base + "/api/auth/login",
          "{\"username\":\"hostuser\",\"password\":\"correct-horse\"}", null);
      assertEquals(200, login.statusCode(), login.body());
      String token = field(login.body(), "access");

      CompletableFuture<String> hello = new CompletableFuture<>();
      WebSocket ws = http.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + chat.port() + "/ws?token=" + token),
              new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                  text.append(data);
                  if (last) {
                    hello.complete(text.toString());
                  }
                  socket.request(1);
                  return null;
                }
              })
          .get(10, TimeUnit.SECONDS);
      String first = hello.get(10, TimeUnit.SECONDS);
      assertTrue(first.contains("\"type\":\"hello\"") && first.contains("hostuser"), first);
      assertEquals(1.0, chat.meters().get("chat.connections").gauge().value(),
          "the server's meters are in the host's registry");
      assertTrue(chat.meters().get("chat.http.requests").tag("status", "201").counter().count() >= 1);
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

      try (Connection c = chat.pool().getConnection()) {
        assertTrue(c.isValid(2), "the host's pool serves the host");
      }
    }
  }

  private HttpResponse<String> post(String url, String json, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }
}
