package dev.parley.core.notifications;

import dev.parley.core.LogSafe;
import dev.parley.core.internal.util.NamedThreadFactory;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.LogEntry;
import dev.parley.core.store.WebhookBacklog;
import dev.parley.protocol.frame.FrameCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every log entry to each webhook receiver, at least once and in seq order per thread.
 *
 * <p>The queue is the log itself: the store keeps, per receiver and thread, the seq of the last
 * entry the receiver has been given (a durable cursor), and a receiver's backlog is every entry
 * above it. Nothing is written on the commit path, a restart resumes from the cursors, and the
 * memory taken is one page of entries per receiver however long a receiver is down. Each
 * receiver has its own thread ({@code parley-webhook-N}) that delivers one entry at a time and
 * retries it with exponential backoff and jitter until it is answered 2xx, or 4xx other than 408
 * and 429 (logged and counted, not retried). In a cluster a lease in the shared store lets one
 * node deliver to a receiver at a time, so each entry goes out once per cluster in normal
 * operation (twice at most around a lease handover: at least once). A node that stops cleanly
 * releases its leases, so another takes over at once rather than when they run out.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final int PAGE = 100;
  static final long LEASE_MILLIS = 30_000;
  static final long POLL_MILLIS = 1_000;

  private final ChatStore store;
  private final WebhookSettings settings;
  private final String nodeId;
  private final Clock clock;
  private final FrameCodec codec = new FrameCodec();
  private final HttpClient http;
  private final List<Receiver> receivers = new ArrayList<>();
  private final Object wake = new Object();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private volatile boolean running = true;
  private long wakeups; // guarded by wake

  /** Registers the receivers in the store (blocks) and starts their threads. */
  public WebhookDispatcher(ChatStore store, WebhookSettings settings, String nodeId, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.nodeId = nodeId;
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.requestTimeout())
        .build();
    NamedThreadFactory threads = new NamedThreadFactory("parley-webhook");
    for (String url : settings.urls()) {
      Receiver r = new Receiver(url, receiverId(url));
      store.registerWebhookReceiver(r.id, clock.millis());
      receivers.add(r);
    }
    for (Receiver r : receivers) {
      r.thread = threads.newThread(r::run);
      r.thread.start();
    }
  }

  /** The receiver's key in the store: a hash, so that a URL with a token in it is not stored. */
  static String receiverId(String url) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sha256=<hex HMAC-SHA256 of body with secret>}. */
  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** New entries may be in the log (a message committed here): look now rather than at the next poll. */
  public void wake() {
    synchronized (wake) {
      wakeups++;
      wake.notifyAll();
    }
  }

  /**
   * Entries not yet given to their receivers, over every receiver, as last counted by their
   * threads (at most {@link #POLL_MILLIS} old while they run). Never blocks.
   */
  public long queueLength() {
    long n = 0;
    for (Receiver r : receivers) {
      n += r.queueLength;
    }
    return n;
  }

  /** Entries completed with a 2xx. */
  public long delivered() {
    return delivered.get();
  }

  /** Entries completed with a 4xx other than 408 and 429 (not retried). */
  public long rejected() {
    return rejected.get();
  }

  private final class Receiver {
    final String url;
    final String id;
    final URI uri;
    Thread thread;
    volatile long queueLength;
    long leaseRenewedAt;

    Receiver(String url, String id) {
      this.url = url;
      this.id = id;
      this.uri = URI.create(url);
    }

    void run() {
      while (running) {
        try {
          long seen;
          synchronized (wake) {
            seen = wakeups;
          }
          boolean worked = holdLease() && deliverBacklog();
          if (!worked) {
            waitForWork(seen, POLL_MILLIS);
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("webhook {}: {}", LogSafe.url(url), e.toString());
          try {
            sleep(settings.retryBase().toMillis());
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    }

    boolean holdLease() {
      long now = clock.millis();
      boolean held = store.leaseWebhookReceiver(id, nodeId, now, now + LEASE_MILLIS);
      if (held) {
        leaseRenewedAt = now;
      }
      return held;
    }

    /** Hands the lease on at once (a clean stop), instead of making the other nodes wait it out. */
    void releaseLease() {
      try {
        store.releaseWebhookReceiver(id, nodeId);
      } catch (RuntimeException e) {
        log.warn("webhook {}: lease not released, another node takes over when it runs out: {}",
            LogSafe.url(url), e.toString());
      }
    }

    /** Renews the lease when a third of it has passed; false when another node has it now. */
    boolean keepLease() {
      return clock.millis() - leaseRenewedAt < LEASE_MILLIS / 3 || holdLease();
    }

    /** Delivers one page of the backlog; false when there was nothing to deliver. */
    boolean deliverBacklog() throws InterruptedException {
      queueLength = store.webhookQueueLength(id);
      List<WebhookBacklog> backlog = store.webhookBacklog(id, PAGE);
      if (backlog.isEmpty()) {
        return false;
      }
      for (WebhookBacklog thread : backlog) {
        long cursor = thread.cursor();
        while (running && cursor < thread.lastSeq()) {
          List<LogEntry> entries = store.logEntriesAfter(thread.conversationId(), cursor, PAGE);
          if (entries.isEmpty()) {
            // nothing stored up to last_seq (cannot happen with a gap-free log): do not spin
            store.advanceWebhookCursor(id, thread.conversationId(), thread.lastSeq());
            break;
          }
          for (LogEntry e : entries) {
            if (!running || !keepLease()) {
              return true;
            }
            deliver(thread.conversationId(), e);
            store.advanceWebhookCursor(id, thread.conversationId(), e.seq());
            cursor = e.seq();
            queueLength = Math.max(0, queueLength - 1);
          }
        }
      }
      return true;
    }

    /** POSTs one entry until it is completed; retries with backoff and jitter. */
    void deliver(String conversationId, LogEntry e) throws InterruptedException {
      byte[] body = codec.encode(e.frame());
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(settings.requestTimeout())
          .header("Content-Type", "application/json")
          .header("X-Parley-Signature", signature(settings.secret(), body))
          .header("X-Parley-Thread", conversationId)
          .header("X-Parley-Seq", Long.toString(e.seq()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      for (int attempt = 1; running; attempt++) {
        int status;
        try {
          status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException failure) {
          status = -1;
        }
        if (status >= 200 && status < 300) {
          delivered.incrementAndGet();
          return;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
          rejected.incrementAndGet();
          log.warn("webhook {} refused entry {} of thread {} with {}: not retried",
              LogSafe.url(url), e.seq(), conversationId, status);
          return;
        }
        long ceiling = Math.min(settings.retryMax().toMillis(),
            settings.retryBase().toMillis() << Math.min(attempt - 1, 20));
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        log.debug("webhook {} answered {} for entry {} of thread {}: retry in {} ms",
            LogSafe.url(url), status, e.seq(), conversationId, delay);
        sleep(delay);
        try {
          queueLength = store.webhookQueueLength(id); // the metric moves while a receiver is down
        } catch (RuntimeException storeDown) {
          log.debug("webhook queue length: {}", storeDown.toString());
        }
        if (!keepLease()) {
          throw new IllegalStateException("lost the lease to another node");
        }
      }
      throw new InterruptedException("stopping");
    }
  }

  private void waitForWork(long seen, long millis) throws InterruptedException {
    synchronized (wake) {
      if (wakeups == seen && running) {
        wake.wait(millis);
      }
    }
  }

  private void sleep(long millis) throws InterruptedException {
    long until = System.nanoTime() + millis * 1_000_000;
    synchronized (wake) {
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        wake.wait(Math.max(1, left / 1_000_000));
      }
    }
    if (!running) {
      throw new InterruptedException("stopping");
    }
  }

  /** Stops the receivers' threads; what they did not deliver stays in the log for the next start. */
  @Override
  public void close() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    for (Receiver r : receivers) {
      r.thread.interrupt();
    }
    for (Receiver r : receivers) {
      try {
        r.thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!r.thread.isAlive()) {
        r.releaseLease();
      }
    }
  }
}
