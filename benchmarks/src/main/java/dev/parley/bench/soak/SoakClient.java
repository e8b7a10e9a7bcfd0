package dev.parley.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One soak connection (the JDK's WebSocket client): sends frames with ids and hands back each
 * answer as a future. Messages pushed by the server are counted and dropped.
 */
final class SoakClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;
  private volatile long delivered;

  private SoakClient() {
  }

  /** Connects with the token in the Authorization header and waits for {@code hello}. */
  static SoakClient connect(HttpClient http, URI uri, String token, Duration timeout) throws Exception {
    SoakClient c = new SoakClient();
    c.socket = http.newWebSocketBuilder()
        .connectTimeout(timeout)
        .header("Authorization", "Bearer " + token)
        .buildAsync(uri, c.new Listener())
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    c.hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  /** Sends a frame whose answer carries {@code id}; the future completes with that answer. */
  CompletableFuture<JsonNode> request(String id, String json) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    answers.put(id, answer);
    send(json);
    return answer;
  }

  /** Sends a frame that has no answer. */
  void send(String json) {
    socket.sendText(json, true).join();
  }

  long delivered() {
    return delivered;
  }

  /** The close handshake: sends 1000 and waits for the server's answer, then drops the socket. */
  void closeNormally(Duration timeout) {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the abort below ends it either way
    } finally {
      socket.abort();
    }
  }

  /** Drops the TCP connection without a close frame, as a client that vanishes does. */
  void abort() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode frame = JSON.readTree(partial.toString());
          String type = frame.path("type").asText();
          if ("message".equals(type)) {
            delivered++;
          } else if ("hello".equals(type)) {
            hello.complete(frame);
          } else if (frame.hasNonNull("id")) {
            CompletableFuture<JsonNode> answer = answers.remove(frame.get("id").asText());
            if (answer != null) {
              answer.complete(frame);
            }
          }
        } catch (IOException e) {
          hello.completeExceptionally(e);
        } finally {
          partial.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      failPending(new IOException("closed by the server: " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
      hello.completeExceptionally(error);
      failPending(error);
    }

    private void failPending(Throwable error) {
      for (CompletableFuture<JsonNode> f : answers.values()) {
        f.completeExceptionally(error);
      }
      answers.clear();
    }
  }
}
