package dev.parley.server.internal.metrics;

import dev.parley.core.CommitObserver;
import dev.parley.core.FailureObserver;
import dev.parley.core.notifications.PushService;
import dev.parley.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The server's metrics, as Micrometer meters. Served in the Prometheus text format by
 * {@code GET /metrics}, under the names they had before Micrometer ({@code chat_connections},
 * {@code chat_frames_received_total}, ...).
 *
 * <p>Where the meters live:
 * <ul>
 *   <li>no host registry: a {@link PrometheusMeterRegistry} of this server's own (two servers in
 *       one JVM do not mix their counts);</li>
 *   <li>the host's registry is a {@link PrometheusMeterRegistry}: the meters go there, and
 *       {@code /metrics} serves that registry (with the host's own meters);</li>
 *   <li>any other registry: the meters go to a composite of the host's registry and a Prometheus
 *       registry of this server's own, which {@code /metrics} serves.</li>
 * </ul>
 * {@link #close()} removes this server's meters from the host's registry.
 */
public final class ServerMetrics implements CommitObserver, FailureObserver, AutoCloseable {
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final boolean ownsPrometheus;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final Counter framesReceived;
  private final Counter framesSent;
  private final Counter messagesStored;
  private final DistributionSummary batchSize;
  private final Timer commitTime;
  private final Map<Integer, Counter> httpRequests = new ConcurrentHashMap<>();
  private final Map<String, Counter> hiddenErrors = new ConcurrentHashMap<>();
  private volatile IntSupplier connections;
  private volatile LongSupplier webhookQueue = () -> 0;
  private volatile PushService push;

  /** Metrics in a Prometheus registry of their own. */
  public ServerMetrics(IntSupplier connections) {
    this(null, connections);
  }

  /** Metrics registered in {@code host} (may be null), see the class comment. */
  public ServerMetrics(MeterRegistry host, IntSupplier connections) {
    this.connections = connections;
    if (host instanceof PrometheusMeterRegistry p) {
      registry = p;
      prometheus = p;
      ownsPrometheus = false;
    } else {
      prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ownsPrometheus = true;
      registry = host == null ? prometheus : new CompositeMeterRegistry().add(host).add(prometheus);
    }
    add(Gauge.builder("chat.connections", this, m -> m.connections.getAsInt())
        .description("Open WebSocket connections on this node")
        .strongReference(true)
        .register(registry));
    add(Gauge.builder("chat.webhook.queue.length", this, m -> m.webhookQueue.getAsLong())
        .description("Log entries not yet given to the webhook receivers (0 without webhooks)")
        .strongReference(true)
        .register(registry));
    pushSends("sent", PushService::pushesSent);
    pushSends("gone", PushService::pushesGone);
    pushSends("retried", PushService::pushesRetried);
    pushSends("failed", PushService::pushesFailed);
    framesReceived = add(Counter.builder("chat.frames.received")
        .description("WebSocket frames received from clients")
        .register(registry));
    framesSent = add(Counter.builder("chat.frames.sent")
        .description("WebSocket frames sent to clients")
        .register(registry));
    messagesStored = add(Counter.builder("chat.messages.stored")
        .description("Messages committed to the store by this node")
        .register(registry));
    batchSize = add(DistributionSummary.builder("chat.store.batch.size")
        .description("Messages per group-commit transaction")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry));
    commitTime = add(Timer.builder("chat.store.commit")
        .description("Time to store one group-commit batch")
        .serviceLevelObjectives(micros(500), micros(1_000), micros(2_500), micros(5_000),
            micros(10_000), micros(25_000), micros(50_000), micros(100_000), micros(250_000),
            micros(1_000_000))
        .register(registry));
  }

  /** One outcome of {@code chat_push_sends_total}, read from the engine's Web Push when there is one. */
  private void pushSends(String outcome, ToLongFunction<PushService> count) {
    add(FunctionCounter.builder("chat.push.sends", this, m -> {
          PushService p = m.push;
          return p == null ? 0 : count.applyAsLong(p);
        })
        .description("Web Push sends by outcome: sent (2xx), gone (404/410, subscription deleted),"
            + " retried (429, 5xx, network; tried again), failed (given up or refused)")
        .tag("outcome", outcome)
        .register(registry));
  }

  private static Duration micros(long n) {
    return Duration.ofNanos(n * 1_000);
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  /**
   * Counts connections with {@code connections} from now on: the engine that knows them is built
   * after these metrics, which it observes. Until then the count is whatever the constructor got.
   */
  public void countConnections(IntSupplier connections) {
    this.connections = connections;
  }

  /** Reports the webhook queue's length with {@code queueLength} (which must not block). */
  /** Reports the outcomes of {@code push}'s sends (the engine's Web Push, built after these metrics). */
  public void countPushes(PushService push) {
    this.push = push;
  }

  public void countWebhookQueue(LongSupplier queueLength) {
    this.webhookQueue = queueLength;
  }

  @Override
  public void hidden(String transport, ErrorCode code, String ref, Throwable cause) {
    hiddenErrors.computeIfAbsent(transport + '\n' + code.wire(), k -> add(Counter.builder("chat.hidden.errors")
        .description("Failures answered with a generic unavailable or internal error (detail logged with a ref), by transport and code")
        .tag("transport", transport)
        .tag("code", code.wire())
        .register(registry))).increment();
  }

  public void frameReceived() {
    framesReceived.increment();
  }

  public void frameSent() {
    framesSent.increment();
  }

  public void httpRequest(int status) {
    httpRequests.computeIfAbsent(status, s -> add(Counter.builder("chat.http.requests")
        .description("HTTP requests answered, by status code")
        .tag("status", Integer.toString(s))
        .register(registry))).increment();
  }

  @Override
  public void batchCommitted(int size, long nanos) {
    messagesStored.increment(size);
    batchSize.record(size);
    commitTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The metrics in the Prometheus text format (version 0.0.4, as before Micrometer). */
  public byte[] scrape() {
    return prometheus.scrape(TEXT_FORMAT).getBytes(StandardCharsets.UTF_8);
  }

  public String contentType() {
    return TEXT_FORMAT;
  }

  /** Takes this server's meters out of the host's registry (its gauges would outlive the engine). */
  @Override
  public void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    if (ownsPrometheus) {
      prometheus.close();
    }
  }
}
