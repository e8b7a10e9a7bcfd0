package dev.parley.server.testing;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every text message it receives as JSON and how
 * the connection closed. Waits use Awaitility with a 10-second limit.
 */
public final class WsClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;
  /** Frames before this index were returned by a wait (written by Awaitility's poll thread). */
  private volatile int consumed;

  private WsClient() {
  }

  /**
   * Connects; {@code bearer} goes into the Authorization header when not null. Throws
   * {@link CompletionException} (wrapping {@code java.net.http.WebSocketHandshakeException})
   * when the upgrade is refused.
   */
  public static WsClient connect(URI uri, String bearer, HttpClient client) {
    WsClient ws = new WsClient();
    HttpClient c = client != null ? client : HttpClient.newHttpClient();
    WebSocket.Builder b = c.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    ws.socket = b.buildAsync(uri, ws.new Listener()).join();
    return ws;
  }

  /** Sends one text frame. */
  public void send(String json) {
    socket.sendText(json, true).join();
  }

  /** Sends a JSON object given as a Jackson tree. */
  public void send(JsonNode json) {
    send(json.toString());
  }

  public WebSocket socket() {
    return socket;
  }

  /** Everything received so far. */
  public List<JsonNode> received() {
    return List.copyOf(received);
  }

  /** Received frames of one type. */
  public List<JsonNode> ofType(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : received) {
      if (type.equals(n.path("type").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  /** Waits for the first frame (in order of arrival) that matches and was not returned before. */
  public synchronized JsonNode await(Predicate<JsonNode> match) {
    return Awaitility.await().atMost(WAIT).until(() -> consume(match), Objects::nonNull);
  }

  /** The first frame past those already returned that matches, now counted as returned; or null. */
  private JsonNode consume(Predicate<JsonNode> match) {
    for (int i = consumed; i < received.size(); i++) {
      if (match.test(received.get(i))) {
        consumed = i + 1;
        return received.get(i);
      }
    }
    return null;
  }

  /** Waits for the next frame of a type. */
  public JsonNode awaitType(String type) {
    return await(n -> type.equals(n.path("type").asText()));
  }

  /** Waits for the answer that carries frame id {@code id}. */
  public JsonNode awaitId(String id) {
    return await(n -> id.equals(n.path("id").asText(null)) && !"message".equals(n.path("type").asText()));
  }

  /**
   * Waits at most {@code within} for the answer carrying frame id {@code id}, among every frame
   * received so far (whatever earlier waits consumed), and leaves the frames for later waits.
   */
  public JsonNode awaitAnswer(String id, Duration within) {
    return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(10))
        .until(() -> received.stream()
        .filter(n -> id.equals(n.path("id").asText(null)) && !"message".equals(n.path("type").asText()))
        .findFirst().orElse(null), Objects::nonNull);
  }

  /** Waits until the server closes the connection; returns its close code. */
  public int awaitClose() {
    return awaitClose(WAIT);
  }

  /** Waits at most {@code limit} for the server to close the connection; returns its close code. */
  public int awaitClose(Duration limit) {
    try {
      return closeCode.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection was not closed within " + limit, e);
    }
  }

  public boolean isClosed() {
    return closeCode.isDone();
  }

  @Override
  public void close() {
    if (!closeCode.isDone()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already gone
      }
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(TestServer.JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException("server sent non-JSON: " + partial, e);
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
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode.complete(-1);
    }
  }
}
