package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.internal.Backoff;
import dev.parley.client.internal.Frames;
import dev.parley.client.internal.Outbox;
import dev.parley.client.transport.FrameHandler;
import dev.parley.client.transport.WsConnection;
import dev.parley.client.transport.WsTransport;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Parley WebSocket client for one user: sends that complete on the server's ack, an ordered
 * outbox, automatic reconnect with backoff and {@code sync}, and token refresh.
 *
 * <ul>
 *   <li>{@link #send} queues a message and returns a future completed by its {@code ack} (or
 *       exceptionally by its {@code error}). Messages leave one at a time in the order sent; each
 *       carries a {@code clientId}, and after a reconnect the unanswered one is sent again with
 *       the same id, so the server stores it exactly once.</li>
 *   <li>After a drop the client reconnects with exponential backoff and jitter, then asks for
 *       every thread it has seen ({@link #track}) the messages after the last {@code seq} it saw;
 *       the outbox flushes only after that. Listeners get each message once, in seq order.</li>
 *   <li>The {@link TokenSupplier} gives the token of each attempt; when 80 % of a connection's
 *       token lifetime has passed the client asks it for a fresh one and sends an {@code auth}
 *       frame. A refused token (401, close 4401) is asked for again with reason
 *       {@code REJECTED}.</li>
 *   <li>Close 4403 (user deleted or disabled) or {@link #close()} stop the client for good.</li>
 * </ul>
 *
 * <p>All state lives on one Netty event loop; listeners run there and must not block. Public
 * methods may be called from any thread.
 */
public final class ChatClient implements AutoCloseable {
  private static final double REFRESH_AT = 0.8;

  private final URI wsUri;
  private final TokenSupplier tokens;
  private final MessageListener onMessage;
  private final EventListener onEvent;
  private final Backoff backoff;
  private final WsTransport transport;
  private final boolean ownsTransport;
  private final EventLoop loop;
  private final String clientPrefix = UUID.randomUUID().toString().substring(0, 8);
  private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

  // event-loop state
  private final Outbox outbox = new Outbox();
  private final Map<String, Long> lastSeq = new LinkedHashMap<>();
  private WsConnection connection;
  private boolean ready;
  private boolean closed;
  private int attempt;
  private int frameIds;
  private long sends;
  private String syncId;
  private TokenSupplier.Reason nextReason = TokenSupplier.Reason.CONNECT;
  private ScheduledFuture<?> refreshTimer;
  private volatile int connects;

  private ChatClient(Builder b) {
    this.wsUri = WsTransport.webSocketUri(b.serverUrl);
    this.tokens = Objects.requireNonNull(b.tokens, "tokens");
    this.onMessage = b.onMessage;
    this.onEvent = b.onEvent;
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff, () -> ThreadLocalRandom.current().nextDouble());
    this.ownsTransport = b.transport == null;
    this.transport = ownsTransport ? new WsTransport(1) : b.transport;
    this.loop = transport.group().next();
  }

  /** A builder for a server given by its HTTP base URL, such as {@code http://localhost:8080}. */
  public static Builder builder(URI serverUrl) {
    return new Builder(serverUrl);
  }

  /**
   * Starts connecting (and keeps reconnecting until {@link #close()}). The future completes once
   * the first connection is ready: {@code hello} received and, for tracked threads, synced.
   */
  public CompletableFuture<Void> connect() {
    onLoop(() -> {
      if (connection == null && !closed && connects == 0) {
        attemptConnect();
      }
    });
    return firstReady;
  }

  /** Sends a message to a thread; see {@link #send(String, String, List, Long)}. */
  public CompletableFuture<SendAck> send(String threadId, String body) {
    return send(threadId, body, List.of(), null);
  }

  /**
   * Queues a message with attachments (ids from the upload route) replying to seq
   * {@code replyTo} (or null). The future completes with the ack, or exceptionally with a
   * {@link ChatException} carrying the server's error code ({@code forbidden}, {@code too_large},
   * ...). {@code rate_limited} and {@code unavailable} are retried after a backoff, in order.
   */
  public CompletableFuture<SendAck> send(String threadId, String body, List<String> attachments, Long replyTo) {
    Objects.requireNonNull(threadId, "threadId");
    Objects.requireNonNull(body, "body");
    CompletableFuture<SendAck> result = new CompletableFuture<>();
    List<String> files = List.copyOf(attachments);
    onLoop(() -> {
      if (closed) {
        result.completeExceptionally(new IllegalStateException("client closed"));
        return;
      }
      outbox.add(new Outbox.Pending(threadId, body, clientPrefix + "-" + (++sends), files, replyTo, result));
      pump();
    });
    return result;
  }

  /**
   * Remembers that messages of {@code threadId} up to {@code seenSeq} are known (for example from
   * history), so the next sync asks only for later ones. Threads that deliver a message are
   * tracked by themselves; a thread the client was removed from is forgotten.
   */
  public void track(String threadId, long seenSeq) {
    onLoop(() -> lastSeq.merge(threadId, seenSeq, Math::max));
  }

  /** The highest seq seen per tracked thread (a snapshot). */
  public CompletableFuture<Map<String, Long>> lastSeqs() {
    CompletableFuture<Map<String, Long>> out = new CompletableFuture<>();
    onLoop(() -> out.complete(new HashMap<>(lastSeq)));
    return out;
  }

  /** How many connections have been opened (1 + reconnects). */
  public int connects() {
    return connects;
  }

  /** Stops for good: closes the connection and fails sends still waiting. */
  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> {
      closed = true;
      cancelRefresh();
      if (connection != null) {
        connection.close();
        connection = null;
      }
      outbox.failAll(new IllegalStateException("client closed"));
      firstReady.completeExceptionally(new IllegalStateException("client closed"));
      done.complete(null);
    });
    if (loop.inEventLoop()) {
      // called from a listener: the loop cannot wait for its own shutdown
      if (ownsTransport) {
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS);
      }
      return;
    }
    done.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    if (ownsTransport) {
      transport.close();
    }
  }

  // ---- everything below runs on the event loop ----

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  private void attemptConnect() {
    if (closed) {
      return;
    }
    TokenSupplier.Reason reason = nextReason;
    nextReason = TokenSupplier.Reason.CONNECT;
    tokens.accessToken(reason).whenComplete((token, failure) -> onLoop(() -> {
      if (closed) {
        return;
      }
      if (failure != null) {
        retryLater();
        return;
      }
      transport.connect(wsUri, token, 0, new Handler()).whenComplete((c, e) -> onLoop(() -> {
        if (e != null) {
          connectFailed(e);
        } else {
          connected(c);
        }
      }));
    }));
  }

  private void connectFailed(Throwable e) {
    if (e instanceof WebSocketClientHandshakeException h && h.response() != null
        && h.response().status().code() == 401) {
      nextReason = TokenSupplier.Reason.REJECTED;
    }
    retryLater();
  }

  private void retryLater() {
    if (!closed) {
      loop.schedule(this::attemptConnect, backoff.delayMillis(attempt++), TimeUnit.MILLISECONDS);
    }
  }

  private void connected(WsConnection c) {
    if (closed) {
      c.close();
      return;
    }
    connection = c;
    connects++;
    scheduleRefresh(c, Frames.parse(c.hello()).path("expiresAt").asLong(0));
    if (lastSeq.isEmpty()) {
      becomeReady();
    } else {
      syncId = "sync-" + (++frameIds);
      c.sendText(Frames.sync(syncId, lastSeq));
    }
  }

  private void becomeReady() {
    ready = true;
    attempt = 0;
    syncId = null;
    firstReady.complete(null);
    pump();
  }

  private void pump() {
    if (!ready || connection == null) {
      return;
    }
    Outbox.Pending p = outbox.nextToSend();
    if (p != null) {
      connection.sendText(Frames.send(p));
    }
  }

  private void disconnected(WsConnection c, int code) {
    if (c != connection) {
      return;
    }
    connection = null;
    ready = false;
    syncId = null;
    cancelRefresh();
    outbox.resend();
    if (code == CloseCodes.USER_DISABLED) {
      closed = true;
      ChatException gone = new ChatException(ErrorCode.FORBIDDEN, "the user was deleted or disabled (4403)");
      outbox.failAll(gone);
      firstReady.completeExceptionally(gone);
      return;
    }
    if (code == CloseCodes.TOKEN_EXPIRED) {
      nextReason = TokenSupplier.Reason.REJECTED;
    }
    retryLater();
  }

  private void frame(WsConnection c, JsonNode frame) {
    if (c != connection) {
      return;
    }
    String type = frame.path("type").asText();
    String id = frame.path("id").asText(null);
    switch (type) {
      case "message", "edited", "deleted", "reaction" -> entry(type, frame);
      case "ack" -> ack(c, id, frame);
      case "error" -> error(id, frame);
      case "synced" -> {
        if (id != null && id.equals(syncId)) {
          becomeReady();
        }
      }
      case "pong" -> { }
      default -> {
        if ("removed".equals(type)) {
          lastSeq.remove(frame.path("thread").asText());
        }
        if (onEvent != null) {
          onEvent.onEvent(type, frame);
        }
      }
    }
  }

  /** A log entry: a message, or a change (edit, deletion, reaction) that shares the seq. */
  private void entry(String type, JsonNode frame) {
    String thread = frame.path("thread").asText();
    long seq = frame.path("seq").asLong();
    if (seq <= lastSeq.getOrDefault(thread, 0L)) {
      return; // seen already (live and through sync)
    }
    lastSeq.put(thread, seq);
    if (!"message".equals(type)) {
      if (onEvent != null) {
        onEvent.onEvent(type, frame);
      }
    } else if (onMessage != null) {
      Message m = Frames.message(frame);
      onMessage.onMessage(m);
    }
  }

  private void ack(WsConnection c, String id, JsonNode frame) {
    Outbox.Pending p = id == null ? null : outbox.inFlight(id);
    if (p != null) {
      outbox.complete();
      p.result().complete(new SendAck(frame.path("thread").asText(), frame.path("seq").asLong(),
          frame.path("messageId").asText(), frame.path("ts").asLong(), p.clientId()));
      pump();
    } else if (id != null && id.startsWith("auth-")) {
      scheduleRefresh(c, frame.path("expiresAt").asLong(0));
    }
  }

  private void error(String id, JsonNode frame) {
    ChatException failure = Frames.error(frame);
    Outbox.Pending p = id == null ? null : outbox.inFlight(id);
    if (p != null) {
      if (failure.code() == ErrorCode.RATE_LIMITED || failure.code() == ErrorCode.UNAVAILABLE) {
        outbox.resend();
        loop.schedule(this::pump, backoff.delayMillis(0), TimeUnit.MILLISECONDS);
      } else {
        outbox.complete();
        p.result().completeExceptionally(failure);
        pump();
      }
    } else if (id != null && id.equals(syncId)) {
      // a tracked thread is no longer ours (forbidden): sync nothing rather than stall the outbox
      becomeReady();
    } else if (id != null && id.startsWith("auth-")) {
      nextReason = TokenSupplier.Reason.REJECTED;
    }
  }

  private void scheduleRefresh(WsConnection c, long expiresAt) {
    cancelRefresh();
    if (expiresAt <= 0) {
      return;
    }
    long delay = (long) ((expiresAt - System.currentTimeMillis()) * REFRESH_AT);
    refreshTimer = loop.schedule(() -> tokens.accessToken(TokenSupplier.Reason.EXPIRING)
        .whenComplete((token, e) -> onLoop(() -> {
          if (e == null && c == connection) {
            c.sendText(Frames.auth("auth-" + (++frameIds), token));
          }
        })), Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  private void cancelRefresh() {
    if (refreshTimer != null) {
      refreshTimer.cancel(false);
      refreshTimer = null;
    }
  }

  /** Frames of the current connection, moved onto the client's loop as text. */
  private final class Handler implements FrameHandler {
    @Override
    public void onFrame(WsConnection c, ByteBuf utf8) {
      JsonNode frame = Frames.parse(utf8.toString(StandardCharsets.UTF_8));
      onLoop(() -> frame(c, frame));
    }

    @Override
    public void onClose(WsConnection c, int closeCode) {
      onLoop(() -> disconnected(c, closeCode));
    }
  }

  /** Settings of a {@link ChatClient}. */
  public static final class Builder {
    private final URI serverUrl;
    private TokenSupplier tokens;
    private MessageListener onMessage;
    private EventListener onEvent;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private WsTransport transport;

    private Builder(URI serverUrl) {
      this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    }

    /** Where access tokens come from (required): {@link TokenSupplier#of} or {@link RefreshingTokens}. */
    public Builder tokens(TokenSupplier tokens) {
      this.tokens = tokens;
      return this;
    }

    public Builder onMessage(MessageListener listener) {
      this.onMessage = listener;
      return this;
    }

    public Builder onEvent(EventListener listener) {
      this.onEvent = listener;
      return this;
    }

    /** Reconnect waits: attempt n waits about {@code initial * 2^n}, at most {@code max} (defaults 250 ms, 30 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Runs on a shared transport (its group's threads) instead of one event loop of its own. */
    public Builder transport(WsTransport transport) {
      this.transport = transport;
      return this;
    }

    public ChatClient build() {
      return new ChatClient(this);
    }
  }
}
