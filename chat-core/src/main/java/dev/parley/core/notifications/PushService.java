package dev.parley.core.notifications;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.core.internal.push.PushEndpoints;
import dev.parley.core.internal.push.WebPushCrypto;
import dev.parley.core.internal.util.Ids;
import dev.parley.core.internal.util.NamedThreadFactory;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.PushSubscriptionRecord;
import dev.parley.core.store.VapidKeys;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.Json;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web Push (contract 7.5): the VAPID key, users' subscriptions, and a push for each new message to
 * every member other than the sender who has no open connection on any node and has not muted
 * the thread. The engine calls {@link #messageStored} for each message committed on this node, so
 * a cluster pushes each message once. Pushes are encrypted and sent on {@code parley-push-N}
 * threads; 429, 5xx and network failures are retried with backoff on {@code parley-push-retry};
 * a 404 or 410 deletes the subscription. Redirects are never followed, and the endpoint's address
 * is checked again before every send.
 */
public final class PushService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushService.class);
  /** Subscriptions kept per user; an 11th drops the oldest. */
  public static final int MAX_SUBSCRIPTIONS = 10;
  /** The largest subscription JSON accepted. */
  public static final int MAX_SUBSCRIPTION_BYTES = 4096;
  static final int PREVIEW_CODE_POINTS = 100;
  static final int MAX_ATTEMPTS = 5;
  static final Duration TTL = Duration.ofHours(24);
  private static final Duration JWT_LIFETIME = Duration.ofHours(12);

  record Keys(String p256dh, String auth) {
  }

  record SubscriptionJson(String endpoint, Keys keys) {
  }

  private final ChatStore store;
  private final PresenceTracker presence;
  private final Clock clock;
  private final String subject;
  private final PushEndpoints endpoints;
  private final KeyPair vapid;
  private final String publicKey;
  private final HttpClient http;
  private final ThreadPoolExecutor senders;
  private final ScheduledExecutorService retries;
  private final long retryBaseMillis;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong gone = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  /**
   * Each thread's members as read at most {@link #MEMBERS_FRESH_MILLIS} ago: a busy thread costs
   * one store read a second instead of one per message. A member added within that second may
   * miss a push, one removed may get one more.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Members> members =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final long MEMBERS_FRESH_MILLIS = 1_000;
  private static final int MEMBERS_CACHED = 10_000;

  private record Members(long readAt, List<String> ids) {
  }

  /** Loads (or generates and keeps) the VAPID key pair: blocks on the store. */
  public PushService(ChatStore store, PresenceTracker presence, PushSettings settings, Clock clock) {
    this(store, presence, settings, clock, 1000, PushEndpoints.Resolver.SYSTEM);
  }

  PushService(ChatStore store, PresenceTracker presence, PushSettings settings, Clock clock,
              long retryBaseMillis, PushEndpoints.Resolver resolver) {
    this.store = store;
    this.presence = presence;
    this.clock = clock;
    this.subject = settings.subject();
    this.endpoints = new PushEndpoints(settings.allowLocal(), resolver);
    this.retryBaseMillis = retryBaseMillis;
    VapidKeys keys = settings.vapidPublicKey() != null
        ? new VapidKeys(settings.vapidPublicKey(), settings.vapidPrivateKey())
        : store.keepVapidKeys(WebPushCrypto.generateVapidKeys());
    this.vapid = WebPushCrypto.vapidKeyPair(keys);
    this.publicKey = WebPushCrypto.base64Url(
        WebPushCrypto.uncompressed((java.security.interfaces.ECPublicKey) vapid.getPublic()));
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    this.senders = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(10_000), new NamedThreadFactory("parley-push"));
    this.retries = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("parley-push-retry"));
  }

  /** The server's VAPID public key, base64url, an uncompressed P-256 point. */
  public String publicKey() {
    return publicKey;
  }

  /**
   * Stores a browser's {@code PushSubscription} JSON for the user and returns its id. A
   * {@code bad_request} ChatException for JSON over {@link #MAX_SUBSCRIPTION_BYTES}, an endpoint
   * that is not {@code https} on a public address, or keys that are not a P-256 point and a
   * 16-byte secret. Blocks (resolves the endpoint's host, writes the store).
   */
  public String subscribe(String userId, byte[] json) {
    if (json.length > MAX_SUBSCRIPTION_BYTES) {
      throw ChatException.badRequest("subscription is larger than " + MAX_SUBSCRIPTION_BYTES + " bytes");
    }
    if (json.length == 0) {
      throw ChatException.badRequest("a JSON body is required");
    }
    SubscriptionJson s = Json.read(json, SubscriptionJson.class);
    if (s.keys() == null || s.keys().p256dh() == null || s.keys().auth() == null) {
      throw ChatException.badRequest("keys.p256dh and keys.auth are required");
    }
    byte[] p256dh = WebPushCrypto.base64Url(s.keys().p256dh());
    if (p256dh == null || p256dh.length != 65) {
      throw ChatException.badRequest("keys.p256dh must be 65 bytes, base64url");
    }
    try {
      WebPushCrypto.publicKey(p256dh);
    } catch (IllegalArgumentException e) {
      throw ChatException.badRequest("keys.p256dh is not a point on P-256");
    }
    byte[] auth = WebPushCrypto.base64Url(s.keys().auth());
    if (auth == null || auth.length != 16) {
      throw ChatException.badRequest("keys.auth must be 16 bytes, base64url");
    }
    endpoints.check(s.endpoint());
    String id = Ids.newId();
    store.addPushSubscription(new PushSubscriptionRecord(id, userId, s.endpoint(),
        WebPushCrypto.base64Url(p256dh), WebPushCrypto.base64Url(auth), clock.millis()), MAX_SUBSCRIPTIONS);
    return id;
  }

  /** Deletes one of the user's subscriptions; false when the user has none with that id. Blocks. */
  public boolean unsubscribe(String userId, String subscriptionId) {
    return store.deletePushSubscription(userId, subscriptionId);
  }

  /**
   * A message was committed on this node: queues its pushes and returns at once, never blocking
   * (the caller is the commit thread). Safe from any thread. When the queue is full the pushes are
   * dropped and counted.
   */
  public void messageStored(Message message) {
    if (everyoneConnected(message)) {
      handled.incrementAndGet();
      return;
    }
    try {
      senders.execute(() -> pushFor(message));
    } catch (RejectedExecutionException e) {
      failed.incrementAndGet();
      log.warn("push queue full: no push for message {} of thread {}", message.seq(), message.thread());
    }
  }

  /**
   * Messages whose pushes were decided and sent once (retries may follow): a test's barrier, and
   * a metric.
   */
  public long messagesHandled() {
    return handled.get();
  }

  /** Pushes answered 2xx. */
  public long pushesSent() {
    return sent.get();
  }

  /** Pushes given up on: refused endpoints, permanent errors, retries exhausted, a full queue. */
  public long pushesFailed() {
    return failed.get();
  }

  /** Pushes answered 404 or 410: the subscription was deleted. */
  public long pushesGone() {
    return gone.get();
  }

  /** Pushes scheduled to be tried again (429, 5xx, network failures). */
  public long pushesRetried() {
    return retried.get();
  }

  private void pushFor(Message m) {
    try {
      List<String> recipients = new ArrayList<>();
      for (String userId : membersOf(m.thread())) {
        if (!userId.equals(m.sender()) && !presence.isConnected(userId)
            && !store.isMuted(m.thread(), userId)) {
          recipients.add(userId);
        }
      }
      if (recipients.isEmpty()) {
        return;
      }
      List<PushSubscriptionRecord> subscriptions = store.pushSubscriptions(recipients);
      if (subscriptions.isEmpty()) {
        return;
      }
      String displayName = store.findUser(m.sender()).map(User::displayName).orElse(m.sender());
      byte[] payload = payload(m, displayName);
      for (PushSubscriptionRecord s : subscriptions) {
        send(s, payload, 1);
      }
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      log.warn("pushes for message {} of thread {} failed: {}", m.seq(), m.thread(), e.toString());
    } finally {
      handled.incrementAndGet();
    }
  }

  /**
   * True when the thread's members, as read within the last second, are all connected (or the
   * sender): nobody to push to, decided on the caller's thread instead of a push thread's. Such
   * a message is the common case in a busy thread, and handing each one over (a queue and a
   * thread's wake-up) was 1.5 to 2 % of a core at 2,000 messages a second. Presence is read
   * live, as on a push thread; without a fresh member list the push thread reads it from the
   * store.
   */
  private boolean everyoneConnected(Message m) {
    Members cached = members.get(m.thread());
    if (cached == null || clock.millis() - cached.readAt() >= MEMBERS_FRESH_MILLIS) {
      return false;
    }
    for (String userId : cached.ids()) {
      if (!userId.equals(m.sender()) && !presence.isConnected(userId)) {
        return false;
      }
    }
    return true;
  }

  private List<String> membersOf(String conversationId) {
    long now = clock.millis();
    Members cached = members.get(conversationId);
    if (cached != null && now - cached.readAt() < MEMBERS_FRESH_MILLIS) {
      return cached.ids();
    }
    if (members.size() >= MEMBERS_CACHED) {
      members.clear(); // rare: bounds memory; the next reads refill what is busy
    }
    List<String> ids = store.memberIds(conversationId);
    members.put(conversationId, new Members(now, ids));
    return ids;
  }

  /** {@code {"type":"message","thread","seq","sender":{"id","displayName"},"preview"}}. */
  static byte[] payload(Message m, String displayName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "message");
      g.writeStringField("thread", m.thread());
      g.writeNumberField("seq", m.seq());
      g.writeObjectFieldStart("sender");
      g.writeStringField("id", m.sender());
      g.writeStringField("displayName", displayName);
      g.writeEndObject();
      g.writeStringField("preview", preview(m));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The first 100 code points of the body, or the first attachment's filename when it is empty. */
  static String preview(Message m) {
    String body = m.body() == null ? "" : m.body();
    if (body.isEmpty()) {
      List<Attachment> attachments = m.attachments();
      if (attachments != null && !attachments.isEmpty() && attachments.get(0).filename() != null) {
        return attachments.get(0).filename();
      }
      return "";
    }
    int count = body.codePointCount(0, body.length());
    return count <= PREVIEW_CODE_POINTS ? body : body.substring(0, body.offsetByCodePoints(0, PREVIEW_CODE_POINTS));
  }

  private void send(PushSubscriptionRecord s, byte[] payload, int attempt) {
    URI uri;
    try {
      uri = endpoints.check(s.endpoint()); // again at each send: the name may resolve elsewhere now
    } catch (ChatException e) {
      failed.incrementAndGet();
      log.warn("push to subscription {} refused: {}", s.id(), e.getMessage());
      return;
    }
    int status;
    HttpResponse<Void> response = null;
    try {
      byte[] body = WebPushCrypto.encrypt(payload, WebPushCrypto.base64Url(s.p256dh()),
          WebPushCrypto.base64Url(s.auth()));
      String authorization = WebPushCrypto.vapidAuthorization(vapid, publicKey, origin(uri), subject,
          clock.instant().plus(JWT_LIFETIME));
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(30))
          .header("TTL", Long.toString(TTL.toSeconds()))
          .header("Content-Encoding", "aes128gcm")
          .header("Content-Type", "application/octet-stream")
          .header("Urgency", "normal")
          .header("Authorization", authorization)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
      status = response.statusCode();
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (status >= 200 && status < 300) {
      sent.incrementAndGet();
    } else if (status == 404 || status == 410) {
      gone.incrementAndGet();
      log.info("push subscription {} is gone ({}): deleted", s.id(), status);
      store.deletePushSubscription(s.id());
    } else if (status == -1 || status == 429 || status >= 500) {
      if (attempt >= MAX_ATTEMPTS) {
        failed.incrementAndGet();
        log.warn("push to subscription {} failed {} times (last {}): given up", s.id(), attempt, status);
        return;
      }
      long delay = backoffMillis(attempt, response);
      try {
        retries.schedule(() -> resend(s, payload, attempt + 1), delay, TimeUnit.MILLISECONDS);
        retried.incrementAndGet();
      } catch (RejectedExecutionException closed) {
        failed.incrementAndGet();
      }
    } else {
      failed.incrementAndGet(); // other 4xx, and 3xx: redirects are not followed
      log.warn("push to subscription {} answered {}: not retried", s.id(), status);
    }
  }

  private void resend(PushSubscriptionRecord s, byte[] payload, int attempt) {
    try {
      senders.execute(() -> send(s, payload, attempt));
    } catch (RejectedExecutionException e) {
      failed.incrementAndGet();
    }
  }

  /** Exponential with full jitter, at least a Retry-After in seconds when the service gave one (capped). */
  private long backoffMillis(int attempt, HttpResponse<Void> response) {
    long ceiling = retryBaseMillis << Math.min(attempt - 1, 10);
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    if (response != null) {
      String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
      if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
        delay = Math.max(delay, Math.min(Long.parseLong(retryAfter) * 1000, 10 * 60_000L));
      }
    }
    return delay;
  }

  /** {@code scheme://host[:port]}, the port only when the URL names one. */
  static String origin(URI uri) {
    String host = uri.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT)
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  @Override
  public void close() {
    retries.shutdownNow();
    senders.shutdownNow();
  }
}
