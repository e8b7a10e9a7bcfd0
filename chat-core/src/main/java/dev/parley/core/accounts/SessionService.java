package dev.parley.core.accounts;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.TokenPair;
import dev.parley.core.auth.TokenService;
import dev.parley.core.auth.VerifiedToken;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.internal.sessions.RevocationCache;
import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.RevokedSession;
import dev.parley.core.store.SessionRecord;
import dev.parley.core.store.TicketGrant;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.ChatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login sessions (contract 7.1): opening one at login, refresh-token rotation with reuse
 * detection, revocation (logout, logout everywhere, a password change) and single-use WebSocket
 * tickets.
 *
 * <p>The store is the source of truth, shared by the nodes and kept across restarts. Checking an
 * access token must not cost a database query per frame, so each node keeps the sessions revoked
 * within an access token's lifetime in memory: loaded from the store at start, added to at once
 * by a revocation on this node, by the {@link BrokerEvent.SessionsRevoked} event another node
 * publishes, and by a poll of the store every {@link #POLL_INTERVAL} that catches an event the
 * broker lost. Whenever this node learns of a revoked session it closes that session's local
 * connections (through the listener given to {@link #onRevoked}).
 *
 * <p>Every method but {@link #isRevoked} blocks on the store: call them on a worker thread.
 */
public final class SessionService {
  /** How long after a rotation the refresh token it replaced gets the same answer again. */
  public static final Duration ROTATION_LEEWAY = Duration.ofSeconds(5);
  /** How long a WebSocket ticket is valid. */
  public static final Duration TICKET_TTL = Duration.ofSeconds(30);
  /** How often the store is polled for revocations published while the broker was away. */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** How far back each poll looks: more than any clock difference between two nodes. */
  static final Duration POLL_WINDOW = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(SessionService.class);
  private static final int TICKET_BYTES = 32;

  private final ChatStore store;
  private final TokenService tokens;
  private final Broker broker;
  private final Clock clock;
  private final RevocationCache revoked;
  private final SecureRandom random = new SecureRandom();
  private volatile BiConsumer<String, String> closer = (userId, sessionId) -> { };

  /**
   * @param tokens the built-in token service, or null when the host authenticates users itself
   *     (then only tickets are served)
   */
  public SessionService(ChatStore store, TokenService tokens, Broker broker, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.tokens = tokens;
    this.broker = Objects.requireNonNull(broker, "broker");
    this.clock = Objects.requireNonNull(clock, "clock");
    // an access token outlives its session's revocation by at most its own lifetime
    Duration retention = (tokens == null ? Duration.ofMinutes(15) : tokens.accessTtl())
        .plus(TokenService.CLOCK_SKEW).plus(POLL_WINDOW);
    this.revoked = new RevocationCache(retention.toMillis());
  }

  /**
   * Sets what closes the local connections of a revoked session: called with the user id and
   * the session id, once per session this node learns is revoked.
   */
  public void onRevoked(BiConsumer<String, String> closer) {
    this.closer = Objects.requireNonNull(closer, "closer");
  }

  /** Loads the recent revocations from the store; called once when the engine starts. */
  public void loadRevocations() {
    readRevocations(revoked.retentionMillis());
  }

  /** True when the session was revoked. Never blocks: an in-memory lookup. */
  public boolean isRevoked(String sessionId) {
    return sessionId != null && revoked.contains(sessionId);
  }

  /** Opens a session for a user who just proved who they are, and issues its first tokens. */
  public TokenPair open(String userId) {
    requireTokens();
    String sessionId = Ids.newId();
    long now = clock.millis();
    store.createSession(sessionId, userId, now);
    return tokens.issue(userId, sessionId, 0, now);
  }

  /**
   * Rotates a refresh token: the answer's refresh token replaces the one presented, which stops
   * working. The one it replaced gets the same answer again for {@link #ROTATION_LEEWAY} (two
   * tabs that refresh together); presented later, or any older one, it is a reuse: the whole
   * session is revoked and the call refused.
   *
   * @param account the account the token names, already checked to exist and be enabled
   */
  public TokenPair refresh(VerifiedToken token, UserAccount account) {
    requireTokens();
    String sessionId = token.sessionId();
    SessionRecord session = liveSessionOf(token);
    long now = clock.millis();
    if (token.generation() == session.generation()) {
      if (store.rotateSession(sessionId, session.generation(), now)) {
        return tokens.issue(account.id(), sessionId, session.generation() + 1, now);
      }
      session = liveSessionOf(token); // another refresh of the same token won the race
    }
    if (token.generation() == session.generation() - 1
        && now - session.rotatedAt() <= ROTATION_LEEWAY.toMillis()) {
      return tokens.issue(account.id(), sessionId, session.generation(), session.rotatedAt());
    }
    log.warn("refresh token reuse in session {} of user {}: the session is revoked", sessionId,
        account.id());
    store.revokeSession(sessionId, now);
    announce(account.id(), List.of(sessionId), now);
    throw ChatException.unauthorized("refresh token was already used; the session is revoked");
  }

  /**
   * Ends the session of a refresh token, expired or not. Nothing happens (and no error) when it
   * already ended.
   */
  public void logout(VerifiedToken refreshToken) {
    long now = clock.millis();
    if (store.revokeSession(refreshToken.sessionId(), now)) {
      announce(refreshToken.userId(), List.of(refreshToken.sessionId()), now);
    }
  }

  /** Ends every session of the user but {@code keepSessionId} (null: every one). */
  public void revokeAllOf(String userId, String keepSessionId) {
    long now = clock.millis();
    List<String> ended = store.revokeSessionsOf(userId, keepSessionId, now);
    if (!ended.isEmpty()) {
      announce(userId, ended, now);
    }
  }

  /**
   * Issues a single-use ticket that opens one WebSocket, on any node, within {@link #TICKET_TTL},
   * for the caller's session. Only its SHA-256 is stored.
   */
  public String issueTicket(AuthenticatedUser caller) {
    byte[] bytes = new byte[TICKET_BYTES];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long now = clock.millis();
    store.saveTicket(hash(ticket), new TicketGrant(caller.id(), caller.sessionId(),
        caller.expiresAtMillis()), now + TICKET_TTL.toMillis());
    return ticket;
  }

  /**
   * Takes a ticket and returns who it lets in: 401 when it is unknown, used, expired, or its
   * session or user is gone.
   */
  public AuthenticatedUser redeemTicket(String ticket) {
    if (ticket == null || ticket.isEmpty() || ticket.length() > 128) {
      throw ChatException.unauthorized("invalid ticket");
    }
    TicketGrant grant = store.redeemTicket(hash(ticket), clock.millis())
        .orElseThrow(() -> ChatException.unauthorized("unknown, used or expired ticket"));
    if (isRevoked(grant.sessionId())) {
      throw ChatException.unauthorized("session revoked");
    }
    UserAccount account = store.findAccount(grant.userId())
        .orElseThrow(() -> ChatException.unauthorized("unknown user"));
    if (account.disabled()) {
      throw ChatException.unauthorized("user is disabled");
    }
    return new AuthenticatedUser(account.user(), grant.tokenExpiresAt(), grant.sessionId());
  }

  /** Another node revoked sessions. Runs on the broker's delivering thread; never blocks. */
  public void revokedElsewhere(BrokerEvent.SessionsRevoked event) {
    for (String sessionId : event.sessions()) {
      learn(event.user(), sessionId, clock.millis());
    }
  }

  /**
   * Reads the revocations of the last {@link #POLL_WINDOW} from the store and applies the ones
   * this node did not know yet. Blocks on the store.
   */
  public void poll() {
    readRevocations(POLL_WINDOW.toMillis());
  }

  private void readRevocations(long windowMillis) {
    for (RevokedSession r : store.sessionsRevokedSince(clock.millis() - windowMillis)) {
      learn(r.userId(), r.sessionId(), r.revokedAt());
    }
  }

  /** Forgets revocations older than any token they could refuse, and dead sessions and tickets. */
  public void prune() {
    long now = clock.millis();
    revoked.evictOlderThan(now - revoked.retentionMillis());
    long refreshTtl = tokens == null ? 0 : tokens.refreshTtl().toMillis();
    int removed = store.pruneSessions(now - refreshTtl - Duration.ofDays(1).toMillis(),
        now - TICKET_TTL.toMillis());
    if (removed > 0) {
      log.debug("pruned {} dead sessions and tickets", removed);
    }
  }

  private SessionRecord liveSessionOf(VerifiedToken token) {
    SessionRecord session = store.findSession(token.sessionId())
        .orElseThrow(() -> ChatException.unauthorized("unknown session"));
    if (!session.userId().equals(token.userId())) {
      throw ChatException.unauthorized("token does not match its session");
    }
    if (session.isRevoked()) {
      throw ChatException.unauthorized("session revoked");
    }
    return session;
  }

  /** Applies sessions just revoked in the store: on this node at once, elsewhere through the broker. */
  private void announce(String userId, List<String> sessionIds, long now) {
    for (String sessionId : sessionIds) {
      learn(userId, sessionId, now);
    }
    broker.publish(new BrokerEvent.SessionsRevoked(userId, List.copyOf(sessionIds)));
  }

  private void learn(String userId, String sessionId, long revokedAt) {
    if (revoked.add(sessionId, revokedAt)) {
      log.info("session {} of user {} revoked", sessionId, userId);
      closer.accept(userId, sessionId);
    }
  }

  private void requireTokens() {
    if (tokens == null) {
      throw ChatException.notFound("built-in accounts are disabled on this server");
    }
  }

  private static String hash(String ticket) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(ticket.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
