package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket receiver that stamps each message frame on arrival. Messages sent with a body of
 * {@code "t=<System.nanoTime() at send>"} from the same JVM give their send-to-receive latency.
 */
final class LatencyProbe implements AutoCloseable {
  private final List<Long> latenciesNanos = new CopyOnWriteArrayList<>();
  private final List<Long> seqs = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket socket;

  LatencyProbe(URI ws, String token) {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + token)
        .buildAsync(ws, new Listener())
        .join();
  }

  /** Message frames received so far. */
  int count() {
    return seqs.size();
  }

  List<Long> seqs() {
    return List.copyOf(seqs);
  }

  /** The latency at percentile {@code p} (0..100) in microseconds. */
  long percentileMicros(double p) {
    long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1000;
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = System.nanoTime();
        try {
          JsonNode n = TestServer.JSON.readTree(partial.toString());
          if ("message".equals(n.path("type").asText())) {
            String body = n.path("body").asText();
            if (body.startsWith("t=")) {
              latenciesNanos.add(now - Long.parseLong(body.substring(2)));
            }
            seqs.add(n.path("seq").asLong());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          partial.setLength(0);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
