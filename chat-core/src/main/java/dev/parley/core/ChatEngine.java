package dev.parley.core;

import dev.parley.core.accounts.AccountService;
import dev.parley.core.accounts.ProfileService;
import dev.parley.core.accounts.SessionService;
import dev.parley.core.attachments.AttachmentService;
import dev.parley.core.attachments.BlobStore;
import dev.parley.core.attachments.FileBlobStore;
import dev.parley.core.auth.Authenticator;
import dev.parley.core.auth.BuiltInAuthenticator;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenService;
import dev.parley.core.broker.Broker;
import dev.parley.core.blocking.BlockService;
import dev.parley.core.search.SearchService;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.internal.blocking.BlockList;
import dev.parley.core.internal.blocking.BlockedSendCheck;
import dev.parley.core.broker.InMemoryBroker;
import dev.parley.core.internal.delivery.GroupCommitWriter;
import dev.parley.core.internal.delivery.LiveDelivery;
import dev.parley.core.internal.events.ListenerHub;
import dev.parley.core.internal.events.ObservedBroker;
import dev.parley.core.limits.Limiter;
import dev.parley.core.limits.RateLimits;
import dev.parley.core.messaging.MessageService;
import dev.parley.core.notifications.PushService;
import dev.parley.core.notifications.PushSettings;
import dev.parley.core.notifications.WebhookDispatcher;
import dev.parley.core.notifications.WebhookSettings;
import dev.parley.core.presence.PresenceDirectory;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.internal.presence.LastSeenLog;
import dev.parley.core.internal.registry.ConnectionRegistry;
import dev.parley.core.session.SendBurst;
import dev.parley.core.session.SessionFactory;
import dev.parley.core.store.ChatStore;
import dev.parley.core.conversations.ConversationService;
import dev.parley.core.internal.util.NamedThreadFactory;
import dev.parley.protocol.frame.FrameCodec;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat engine: owns the store, the broker, the commit writer, the registry of local
 * connections and the services over them. Transport-agnostic: the Netty server is one way in,
 * the host application (through the services) another.
 *
 * <p>The engine takes ownership of the store and broker it is given and closes them on
 * {@link #close()}.
 */
public final class ChatEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);
  /**
   * Where the engine's own listeners run: on the thread that published the event, which for a
   * stored message is the commit thread, inside the batch's callbacks. They are hints that never
   * block (a presence look-up in memory, a hand-off to a push thread, a wake of the webhook or
   * sweep thread) and are safe from any thread; handing them to the event thread instead cost a
   * queue offer, an unpark and a context switch per group commit (BENCHMARKS.md, "Session 20").
   * The event thread is the host's listeners' alone.
   */
  private static final java.util.concurrent.Executor ON_PUBLISHER = Runnable::run;

  private final EngineConfig config;
  private final ChatStore store;
  private final Broker broker;
  private final FrameCodec codec;
  private final ConnectionRegistry registry;
  private final GroupCommitWriter writer;
  private final ExecutorService worker;
  private final ScheduledExecutorService timer;
  private final MessageService messages;
  private final ConversationService conversations;
  private final BlockService blocks;
  private final SearchService search;
  private final BlockList blockList = new BlockList();
  private final PresenceTracker presence;
  private final PresenceDirectory presenceDirectory;
  private final LiveDelivery delivery;
  private final SessionFactory sessions;
  private final Authenticator authenticator;
  private final AccountService accounts;
  private final ProfileService profiles;
  private final LastSeenLog lastSeen;
  private final SessionService loginSessions;
  private final AttachmentService attachments;
  private final ExecutorService events;
  private final ListenerHub listeners;
  private final WireErrors wireErrors;
  private final RateLimits rateLimits;
  private final PushService push;
  private final WebhookDispatcher webhooks;
  private final java.util.concurrent.atomic.AtomicBoolean pollingRevocations =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean sweeping =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean sweepAgain =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;

  private ChatEngine(Builder b) {
    this.config = b.config;
    this.store = b.store;
    this.wireErrors = new WireErrors(b.failureObserver);
    this.events = Executors.newSingleThreadExecutor(new NamedThreadFactory("parley-events"));
    this.listeners = new ListenerHub(events);
    this.broker = new ObservedBroker(b.broker, listeners);
    this.loginSessions = new SessionService(b.store, b.tokens, this.broker, b.clock);
    this.authenticator = b.authenticator != null
        ? b.authenticator
        : new BuiltInAuthenticator(b.tokens, b.store, loginSessions);
    this.rateLimits = b.rateLimits;
    this.accounts = new AccountService(b.store, b.hasher != null ? b.hasher : new PasswordHasher(),
        b.tokens, this.broker, loginSessions, b.clock, rateLimits);
    this.codec = new FrameCodec();
    this.attachments = b.attachmentBlobs == null
        ? null
        : new AttachmentService(b.store, b.attachmentBlobs, b.attachmentLimit, b.clock);
    this.worker = Executors.newFixedThreadPool(config.workerThreads(),
        new NamedThreadFactory("parley-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("parley-timer"));
    this.registry = new ConnectionRegistry(this::roomOpened, this::roomClosed);
    // one node publishes from its single commit thread, in seq order; a cluster needs reordering
    this.delivery = b.broker instanceof InMemoryBroker
        ? new LiveDelivery(registry, codec)
        : LiveDelivery.ordered(registry, codec, store, timer, worker);
    // sends are checked on the connection's thread (often an event loop): a limiter that blocks
    // (Redis) is consulted on the commit thread instead, one round trip per batch
    Limiter sendLimiter = rateLimits.limiter("send", config.rateLimit(), config.rateBurst());
    boolean gate = rateLimits.blocking() && config.rateLimit() > 0;
    // each batch's acks and deliveries go to the loops, and its events to the listeners, when
    // the batch's callbacks are done: one wake-up per thread per batch
    SendBurst transportBurst = b.sendBurst;
    SendBurst batchBurst = sends -> transportBurst.run(() -> listeners.hold(sends));
    this.writer = new GroupCommitWriter(store, config.commitBatchSize(),
        config.commitMaxWaitMicros(), config.commitQueueCapacity(), b.commitObserver,
        gate ? sendLimiter : null, batchBurst);
    this.messages = new MessageService(store, writer, broker, config, b.clock, b.interceptor,
        gate ? null : sendLimiter);
    this.conversations = new ConversationService(store, broker, b.clock);
    this.blocks = new BlockService(store, broker, b.clock);
    this.search = new SearchService(store, conversations);
    writer.checkSendsWith(new BlockedSendCheck(blockList, store));
    delivery.hideWith(blockList::blocks);
    this.presenceDirectory = b.presence != null ? b.presence : PresenceDirectory.local();
    presenceDirectory.start(broker, registry, store);
    this.lastSeen = new LastSeenLog(store, b.clock);
    this.presence = new PresenceTracker(registry, presenceDirectory, timer, config.presenceGrace(),
        lastSeen::seen);
    this.profiles = new ProfileService(store, presence, blockList::blocks, conversations, b.clock);
    this.sessions = new SessionFactory(config.nodeId(), config.heartbeatSeconds(), codec, registry,
        messages, conversations, presence, authenticator, worker, loginSessions::isRevoked, wireErrors,
        blockList::blocks);
    this.push = b.push == null ? null : new PushService(store, presence, b.push, b.clock);
    if (push != null) {
      listeners.add(new ChatListener() {
        @Override
        public void messageStored(dev.parley.protocol.model.Message message) {
          push.messageStored(message);
        }
      }, ON_PUBLISHER);
    }
    this.webhooks = b.webhooks == null || b.webhooks.urls().isEmpty()
        ? null : new WebhookDispatcher(store, b.webhooks, config.nodeId(), b.clock);
    if (webhooks != null) {
      // a hint only: the dispatcher reads the log (messages and their changes), so entries
      // committed elsewhere arrive too
      listeners.add(new ChatListener() {
        @Override
        public void messageStored(dev.parley.protocol.model.Message message) {
          webhooks.wake();
        }

        @Override
        public void changeStored(dev.parley.protocol.model.Message entry) {
          webhooks.wake();
        }
      }, ON_PUBLISHER);
    }
    if (attachments != null) {
      // deleting erases: the bytes of attachments no message shows any more go at once, not
      // at the next minute's sweep
      listeners.add(new ChatListener() {
        @Override
        public void changeStored(dev.parley.protocol.model.Message entry) {
          if (entry.change() != null
              && entry.change().kind() == dev.parley.protocol.model.Change.Kind.DELETED) {
            requestSweep();
          }
        }
      }, ON_PUBLISHER);
    }
    loginSessions.onRevoked(delivery::closeLoginSession);
    loginSessions.loadRevocations();
    SendBurst burst = b.sendBurst;
    broker.start(event -> {
      if (event instanceof BrokerEvent.Presence p) {
        presence.observed(p);
      } else if (event instanceof BrokerEvent.SessionsRevoked r) {
        loginSessions.revokedElsewhere(r);
      } else if (event instanceof BrokerEvent.BlockChanged c) {
        blockList.apply(c);
      }
      // an event from another node goes to every local member: the loops are woken once for
      // all of its frames, not once per frame
      burst.run(() -> delivery.onEvent(event));
    });
    blockList.load(store); // after the broker started: a block made meanwhile is not lost
    // "last seen" goes to the store once a second, all users in one transaction
    timer.scheduleWithFixedDelay(() -> worker.execute(lastSeen::flush), 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(() -> {
      messages.evictIdleLimits();
      accounts.evictIdleLimits();
      worker.execute(this::pruneSessions);
      if (attachments != null) {
        requestSweep();
      }
    }, 1, 1, TimeUnit.MINUTES);
    long pollMillis = SessionService.POLL_INTERVAL.toMillis();
    timer.scheduleWithFixedDelay(() -> worker.execute(this::pollRevocations),
        pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Revocations another node stored while the broker lost its event: a backstop, off the timer. */
  private void pollRevocations() {
    if (!pollingRevocations.compareAndSet(false, true)) {
      return; // the last poll is still waiting for the store
    }
    try {
      loginSessions.poll();
    } catch (RuntimeException e) {
      log.debug("polling session revocations failed: {}", e.toString());
    } finally {
      pollingRevocations.set(false);
    }
  }

  /**
   * Runs the attachment sweep on a worker, one at a time: a request made while one runs makes it
   * run once more.
   */
  private void requestSweep() {
    sweepAgain.set(true);
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.execute(() -> {
        try {
          while (sweepAgain.getAndSet(false)) {
            sweepAttachments();
          }
        } finally {
          sweeping.set(false);
        }
        if (sweepAgain.get()) {
          requestSweep();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      sweeping.set(false); // shutting down
    }
  }

  /** Removes attachments no message shows any more, and stale unposted uploads. */
  private void sweepAttachments() {
    try {
      int removed = attachments.sweep();
      if (removed > 0) {
        log.info("removed {} attachments no message shows", removed);
      }
    } catch (RuntimeException e) {
      log.warn("sweeping attachments failed: {}", e.toString());
    }
  }

  private void pruneSessions() {
    try {
      loginSessions.prune();
    } catch (RuntimeException e) {
      log.warn("pruning login sessions failed: {}", e.toString());
    }
  }

  private void roomOpened(String conversationId) {
    delivery.conversationOpened(conversationId);
    broker.subscribe(conversationId);
  }

  private void roomClosed(String conversationId) {
    broker.unsubscribe(conversationId);
    delivery.conversationClosed(conversationId);
  }

  public EngineConfig config() {
    return config;
  }

  public ChatStore store() {
    return store;
  }

  /** Connections open on this node now. */
  public int connectionCount() {
    return registry.connectionCount();
  }

  /** True while {@code userId} has at least one connection open on this node. */
  public boolean isConnected(String userId) {
    return registry.isOnline(userId);
  }

  public MessageService messages() {
    return messages;
  }

  public ConversationService conversations() {
    return conversations;
  }

  /** Blocking (contract 7.4): block, unblock, list. */
  public BlockService blocks() {
    return blocks;
  }

  /** Message search (contract 7.3). */
  public SearchService search() {
    return search;
  }

  public PresenceTracker presence() {
    return presence;
  }

  public SessionFactory sessions() {
    return sessions;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /**
   * Users: the host's create/disable/delete, and the built-in register, login and refresh (these
   * three refuse when the engine was built without {@link Builder#builtInAccounts}).
   */
  public ProfileService profiles() {
    return profiles;
  }

  public AccountService accounts() {
    return accounts;
  }

  /** Web Push, or null when the engine was built without {@link Builder#push}. */
  public PushService push() {
    return push;
  }

  /** The webhook dispatcher, or null when the engine was built without webhooks. */
  public WebhookDispatcher webhooks() {
    return webhooks;
  }

  /** Uploaded files, or null when the engine was built without an attachment folder. */
  public AttachmentService attachments() {
    return attachments;
  }

  /**
   * Registers a listener of the host; its callbacks run one at a time on the engine's event
   * thread.
   */
  public void addListener(ChatListener listener) {
    listeners.add(Objects.requireNonNull(listener), null);
  }

  /** Registers a listener whose callbacks run on {@code executor}. */
  public void addListener(ChatListener listener, java.util.concurrent.Executor executor) {
    listeners.add(Objects.requireNonNull(listener), Objects.requireNonNull(executor));
  }

  public boolean removeListener(ChatListener listener) {
    return listeners.remove(listener);
  }

  /**
   * Turns failures into what a client is told: the transports' one way to do it, so that a
   * store's or driver's text never reaches a client.
   */
  public WireErrors wireErrors() {
    return wireErrors;
  }

  /** The broker carrying this node's events. */
  public Broker broker() {
    return broker;
  }

  /** The pool for blocking work (store, password hashing). Never run such work on an event loop. */
  public ExecutorService worker() {
    return worker;
  }

  /** Messages accepted and not yet committed. */
  public int commitBacklog() {
    return writer.backlog();
  }

  /** True when the store and the broker can be reached. Blocks briefly (a database round trip). */
  public boolean isHealthy() {
    return store.isHealthy() && broker.isHealthy();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops accepting messages and stores every one already accepted (their acks go out). Waits up
   * to {@code timeoutMillis}; returns false if the backlog could not be stored in time. The first
   * step of a graceful shutdown, before the transport closes its connections.
   */
  public boolean drainMessages(long timeoutMillis) {
    return writer.drainAndStop(timeoutMillis);
  }

  /**
   * Stores every accepted message, then stops the engine's Java threads and closes the broker and the store.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    if (push != null) {
      push.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
    timer.shutdownNow();
    events.shutdown();
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
    lastSeen.flush(); // the connections the transport closed before this
    try {
      presenceDirectory.close();
      broker.close();
      rateLimits.close();
      if (attachments != null) {
        attachments.blobs().close();
      }
    } finally {
      store.close();
    }
    log.info("engine stopped");
  }

  /**
   * Assembles an engine. Required: the store, and either built-in accounts or an authenticator
   * (or both: the authenticator then decides who may connect).
   */
  public static final class Builder {
    private ChatStore store;
    private Broker broker;
    private Authenticator authenticator;
    private EngineConfig config = EngineConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private CommitObserver commitObserver = CommitObserver.NONE;
    private SendBurst sendBurst = SendBurst.NONE;
    private FailureObserver failureObserver = FailureObserver.NONE;
    private RateLimits rateLimits = RateLimits.local();
    private TokenService tokens;
    private PasswordHasher hasher;
    private BlobStore attachmentBlobs;
    private long attachmentLimit = 10L * 1024 * 1024;
    private MessageInterceptor interceptor;
    private PresenceDirectory presence;
    private PushSettings push;
    private WebhookSettings webhooks;

    private Builder() {
    }

    /** Gives every log entry to these webhook receivers (contract 7.5); none by default. */
    public Builder webhooks(WebhookSettings v) {
      webhooks = v;
      return this;
    }

    /**
     * Enables Web Push for members who are not connected (contract 7.5). Building the engine then
     * loads the VAPID key pair from the store, or keeps a new one there.
     */
    public Builder push(PushSettings v) {
      push = v;
      return this;
    }

    public Builder store(ChatStore v) {
      store = v;
      return this;
    }

    /**
     * Where presence is decided; default {@link PresenceDirectory#local()} (one node). A cluster
     * gives {@link dev.parley.core.presence.redis.RedisPresence}. The engine closes it.
     */
    public Builder presence(PresenceDirectory v) {
      presence = v;
      return this;
    }

    /** The broker; default an {@link InMemoryBroker} (one node). */
    public Builder broker(Broker v) {
      broker = v;
      return this;
    }

    /** Enables the built-in accounts: registration, login and HS256 tokens. */
    public Builder builtInAccounts(TokenService tokens, PasswordHasher hasher) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** Enables uploads, kept on this machine's disk in {@code dir}, each at most {@code limitBytes}. */
    public Builder attachments(java.nio.file.Path dir, long limitBytes) {
      return attachments(new FileBlobStore(Objects.requireNonNull(dir, "dir")), limitBytes);
    }

    /**
     * Enables uploads, their bytes kept in {@code blobs} (see {@link BlobStore} for the choices),
     * each at most {@code limitBytes}. The engine closes the blob store.
     */
    public Builder attachments(BlobStore blobs, long limitBytes) {
      this.attachmentBlobs = Objects.requireNonNull(blobs, "blobs");
      this.attachmentLimit = limitBytes;
      return this;
    }

    /** Sees (and may reject or rewrite) every message before it is stored. */
    public Builder interceptor(MessageInterceptor v) {
      interceptor = v;
      return this;
    }

    /** Who may connect; default the built-in accounts' tokens. */
    public Builder authenticator(Authenticator v) {
      authenticator = v;
      return this;
    }

    public Builder config(EngineConfig v) {
      config = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder commitObserver(CommitObserver v) {
      commitObserver = v;
      return this;
    }

    /**
     * How the transport groups the frames of one commit batch (its acks and live deliveries);
     * default {@link SendBurst#NONE}.
     */
    public Builder sendBurst(SendBurst v) {
      sendBurst = Objects.requireNonNull(v, "sendBurst");
      return this;
    }

    /**
     * Where the send-rate and failed-login buckets live; default {@link RateLimits#local()} (one
     * node). A cluster gives {@link dev.parley.core.limits.redis.RedisRateLimits}. The engine
     * closes it.
     */
    public Builder rateLimits(RateLimits v) {
      rateLimits = Objects.requireNonNull(v, "rateLimits");
      return this;
    }

    /** Told about every failure kept from a client (for metrics); see {@link WireErrors}. */
    public Builder failureObserver(FailureObserver v) {
      failureObserver = Objects.requireNonNull(v, "failureObserver");
      return this;
    }

    public ChatEngine build() {
      Objects.requireNonNull(store, "store");
      if (authenticator == null && tokens == null) {
        throw new IllegalStateException("give builtInAccounts(...) or an authenticator");
      }
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(clock, "clock");
      if (broker == null) {
        broker = new InMemoryBroker();
      }
      return new ChatEngine(this);
    }
  }
}
