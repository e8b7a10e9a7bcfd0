package dev.parley.core.testing;

import dev.parley.core.ChatEngine;
import dev.parley.core.CommitObserver;
import dev.parley.core.MessageInterceptor;
import dev.parley.core.EngineConfig;
import dev.parley.core.accounts.AccountService;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenPair;
import dev.parley.core.auth.TokenService;
import dev.parley.core.session.Session;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A {@link ChatEngine} on a fresh SQLite file in a temp directory, with the built-in accounts
 * (HS256 tokens over {@link #JWT_SECRET}, bcrypt cost 4 for speed) and the in-memory broker.
 * It registers users, creates threads and opens sessions on {@link RecordingConnection}s, and
 * {@link #close()} disconnects them, stops the engine and deletes the database.
 *
 * <pre>{@code
 * try (EngineFixture f = EngineFixture.create()) {
 *   TestUser alice = f.register("alice");
 *   TestUser bob = f.register("bob");
 *   ChatThread t = f.group(alice, bob);
 *   TestClient a = f.connect(alice);
 *   a.sendAndAwait(t.id(), "hi");
 * }
 * }</pre>
 *
 * <p>The config starts from the contract's defaults with 4 worker threads; change it with
 * {@link #create(UnaryOperator)} or the {@link Builder}.
 */
public final class EngineFixture implements AutoCloseable {
  /** The JWT secret of the fixture's tokens (at least 32 bytes, as the token service demands). */
  public static final String JWT_SECRET = "parley-test-secret-0123456789-abcdefghijklmnop";
  /** Lifetime of the fixture's access tokens. */
  public static final Duration ACCESS_TTL = Duration.ofMinutes(15);

  private final TestDatabase database;
  private final TokenService tokens;
  private final ChatEngine engine;
  private final List<TestClient> clients = new CopyOnWriteArrayList<>();

  private EngineFixture(Builder b) {
    this.database = TestDatabases.sqlite();
    ChatStore store;
    try {
      store = b.storeWrapper.apply(JdbcChatStore.open(StoreOptions.of(database.url())));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    this.tokens = TokenService.create(JWT_SECRET, ACCESS_TTL, Duration.ofDays(30), Clock.systemUTC());
    EngineConfig.Builder config = EngineConfig.builder().workerThreads(4);
    this.engine = ChatEngine.builder()
        .store(store)
        .config(b.config.apply(config).build())
        .builtInAccounts(tokens, new PasswordHasher(PasswordHasher.MIN_COST))
        .commitObserver(b.observer)
        .interceptor(b.interceptor)
        .build();
  }

  /** An engine with the fixture's default config. */
  public static EngineFixture create() {
    return builder().start();
  }

  /** An engine whose config the function adjusts, e.g. {@code c -> c.rateLimit(0)}. */
  public static EngineFixture create(UnaryOperator<EngineConfig.Builder> config) {
    return builder().config(config).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ChatEngine engine() {
    return engine;
  }

  /** The engine's store (the wrapped one, if a wrapper was given). */
  public ChatStore store() {
    return engine.store();
  }

  public AccountService accounts() {
    return engine.accounts();
  }

  /** The token service of the built-in accounts, to issue tokens of any kind in tests. */
  public TokenService tokens() {
    return tokens;
  }

  /** Registers {@code username} (password {@code "pw-" + username + "-secret"}) and logs it in. */
  public TestUser register(String username) {
    String password = "pw-" + username + "-secret";
    User user = accounts().register(username, password, null);
    TokenPair pair = accounts().login(username, password);
    return new TestUser(user, password, pair);
  }

  /** A group created by {@code creator} with the other users, titled after the members. */
  public ChatThread group(TestUser creator, TestUser... others) {
    List<String> ids = Arrays.stream(others).map(TestUser::id).toList();
    return engine.conversations().createGroup(creator.id(), "group of " + creator.username(), ids);
  }

  /** The direct thread of two users. */
  public ChatThread direct(TestUser a, TestUser b) {
    return engine.conversations().direct(a.id(), b.id()).thread();
  }

  /**
   * Opens a session for the user's access token (checked by the engine's authenticator), member of
   * the threads the store lists for it, on a new {@link RecordingConnection}. When the engine
   * closes the connection, the session is told, as a transport would do.
   */
  public TestClient connect(TestUser user) {
    return open(user, engine.authenticator().authenticate(user.tokens().access()));
  }

  /** Like {@link #connect(TestUser)}, with the session's token expiring at {@code expiresAtMillis}. */
  public TestClient connect(TestUser user, long expiresAtMillis) {
    return open(user, new AuthenticatedUser(user.user(), expiresAtMillis));
  }

  private TestClient open(TestUser user, AuthenticatedUser authenticated) {
    RecordingConnection connection =
        new RecordingConnection(user.username() + "#" + (clients.size() + 1));
    List<String> conversationIds = engine.store().conversationIdsOf(user.id());
    Session session = engine.sessions().open(authenticated, conversationIds, connection);
    connection.onClose(session::closed);
    TestClient client = new TestClient(user, session, connection);
    clients.add(client);
    return client;
  }

  /** Disconnects every client, stops the engine (which closes the store) and deletes the database. */
  @Override
  public void close() {
    try {
      for (TestClient c : new ArrayList<>(clients)) {
        c.disconnect();
      }
      engine.close();
    } finally {
      database.close();
    }
  }

  /** Adjusts the fixture before {@link #start()}. */
  public static final class Builder {
    private UnaryOperator<EngineConfig.Builder> config = c -> c;
    private UnaryOperator<ChatStore> storeWrapper = s -> s;
    private CommitObserver observer = CommitObserver.NONE;
    private MessageInterceptor interceptor;

    private Builder() {
    }

    /** Adjusts the engine config (starting from the defaults with 4 worker threads). */
    public Builder config(UnaryOperator<EngineConfig.Builder> v) {
      config = Objects.requireNonNull(v);
      return this;
    }

    /** Wraps the real store, e.g. in a {@link DelegatingChatStore} that slows a method down. */
    public Builder wrapStore(UnaryOperator<ChatStore> v) {
      storeWrapper = Objects.requireNonNull(v);
      return this;
    }

    public Builder commitObserver(CommitObserver v) {
      observer = Objects.requireNonNull(v);
      return this;
    }

    /** Sees every message and edit before it is stored (null: none). */
    public Builder interceptor(MessageInterceptor v) {
      interceptor = v;
      return this;
    }

    public EngineFixture start() {
      return new EngineFixture(this);
    }
  }
}
