package dev.parley.server.internal.metrics;

import dev.parley.core.CommitObserver;
import dev.parley.core.FailureObserver;
import dev.parley.protocol.ErrorCode;
import dev.parley.core.notifications.PushService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one JVM do not mix
 * their counts). Served as text by {@code GET /metrics}.
 */
public final class ServerMetrics implements CommitObserver, FailureObserver {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter framesReceived;
  private final Counter framesSent;
  private final Counter messagesStored;
  private final Counter httpRequests;
  private final Histogram batchSize;
  private final Histogram commitSeconds;
  private final Counter hiddenErrors;
  private volatile IntSupplier connections;
  private volatile java.util.function.LongSupplier webhookQueue = () -> 0;
  private volatile PushService push;

  public ServerMetrics(IntSupplier connections) {
    this.connections = connections;
    GaugeWithCallback.builder()
        .name("chat_connections")
        .help("Open WebSocket connections on this node")
        .callback(cb -> cb.call(this.connections.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("chat_webhook_queue_length")
        .help("Log entries not yet given to the webhook receivers (0 without webhooks)")
        .callback(cb -> cb.call(this.webhookQueue.getAsLong()))
        .register(registry);
    CounterWithCallback.builder()
        .name("chat_push_sends_total")
        .help("Web Push sends by outcome: sent (2xx), gone (404/410, subscription deleted), retried"
            + " (429, 5xx, network; tried again), failed (given up or refused)")
        .labelNames("outcome")
        .callback(cb -> {
          PushService p = this.push;
          cb.call(p == null ? 0 : p.pushesSent(), "sent");
          cb.call(p == null ? 0 : p.pushesGone(), "gone");
          cb.call(p == null ? 0 : p.pushesRetried(), "retried");
          cb.call(p == null ? 0 : p.pushesFailed(), "failed");
        })
        .register(registry);
    framesReceived = Counter.builder()
        .name("chat_frames_received_total")
        .help("WebSocket frames received from clients")
        .register(registry);
    framesSent = Counter.builder()
        .name("chat_frames_sent_total")
        .help("WebSocket frames sent to clients")
        .register(registry);
    messagesStored = Counter.builder()
        .name("chat_messages_stored_total")
        .help("Messages committed to the store by this node")
        .register(registry);
    httpRequests = Counter.builder()
        .name("chat_http_requests_total")
        .help("HTTP requests answered, by status code")
        .labelNames("status")
        .register(registry);
    batchSize = Histogram.builder()
        .name("chat_store_batch_size")
        .help("Messages per group-commit transaction")
        .classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
    commitSeconds = Histogram.builder()
        .name("chat_store_commit_seconds")
        .help("Time to store one group-commit batch")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
        .register(registry);
    hiddenErrors = Counter.builder()
        .name("chat_hidden_errors_total")
        .help("Failures answered with a generic unavailable or internal error (detail logged with a ref), by transport and code")
        .labelNames("transport", "code")
        .register(registry);
  }

  /**
   * Counts connections with {@code connections} from now on: the engine that knows them is built
   * after these metrics, which it observes. Until then the count is whatever the constructor got.
   */
  public void countConnections(IntSupplier connections) {
    this.connections = connections;
  }

  /** Reports the webhook queue's length with {@code queueLength} (which must not block). */
  public void countWebhookQueue(java.util.function.LongSupplier queueLength) {
    this.webhookQueue = queueLength;
  }

  /** Reports the outcomes of {@code push}'s sends (the engine's Web Push, built after these metrics). */
  public void countPushes(PushService push) {
    this.push = push;
  }

  @Override
  public void hidden(String transport, ErrorCode code, String ref, Throwable cause) {
    hiddenErrors.labelValues(transport, code.wire()).inc();
  }

  public void frameReceived() {
    framesReceived.inc();
  }

  public void frameSent() {
    framesSent.inc();
  }

  public void httpRequest(int status) {
    httpRequests.labelValues(Integer.toString(status)).inc();
  }

  @Override
  public void batchCommitted(int size, long nanos) {
    messagesStored.inc(size);
    batchSize.observe(size);
    commitSeconds.observe(nanos / 1e9);
  }

  /** The metrics in the Prometheus text format. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public String contentType() {
    return writer.getContentType();
  }
}
