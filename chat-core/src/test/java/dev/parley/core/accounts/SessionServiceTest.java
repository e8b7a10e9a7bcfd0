package dev.parley.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.TokenPair;
import dev.parley.core.auth.TokenService;
import dev.parley.core.auth.VerifiedToken;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.InMemoryBroker;
import dev.parley.core.store.UserAccount;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.MovableClock;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation, reuse detection, revocation and tickets (contract 7.1) on a real SQLite store, with a
 * clock the test moves: the 5 s leeway and the 30 s ticket lifetime are checked at their edges.
 */
class SessionServiceTest {
  private static final String SECRET = "session-test-secret-0123456789-abcdefghijkl";

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final List<BrokerEvent> published = new CopyOnWriteArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private TestDatabase db;
  private JdbcChatStore store;
  private TokenService tokens;
  private SessionService sessions;
  private UserAccount alice;

  @BeforeEach
  void setUp() {
    db = TestDatabases.sqlite();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
    tokens = TokenService.create(SECRET, Duration.ofMinutes(15), Duration.ofDays(30), clock);
    InMemoryBroker broker = new InMemoryBroker();
    broker.start(published::add);
    sessions = new SessionService(store, tokens, broker, clock);
    sessions.onRevoked((user, session) -> closed.add(user + "/" + session));
    User user = store.createUser("alice", "Alice", "hash", clock.millis());
    alice = store.findAccount(user.id()).orElseThrow();
  }

  @AfterEach
  void tearDown() {
    store.close();
    db.close();
  }

  private TokenPair refresh(TokenPair pair) {
    return sessions.refresh(tokens.verifyRefresh(pair.refresh()), alice);
  }

  private String sid(TokenPair pair) {
    return tokens.verifyAccess(pair.access()).sessionId();
  }

  private static void assertUnauthorized(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
  }

  @Test
  void eachLoginIsASessionOfItsOwn() {
    TokenPair first = sessions.open(alice.id());
    TokenPair second = sessions.open(alice.id());

    assertThat(sid(first)).isNotEqualTo(sid(second));
    assertThat(store.findSession(sid(first))).hasValueSatisfying(s -> {
      assertThat(s.userId()).isEqualTo(alice.id());
      assertThat(s.generation()).isZero();
      assertThat(s.isRevoked()).isFalse();
    });
  }

  @Test
  void aRefreshRotatesAndTheOldTokenGetsTheSameAnswerWithinTheLeeway() {
    TokenPair login = sessions.open(alice.id());
    clock.advance(Duration.ofSeconds(60));
    TokenPair rotated = refresh(login);

    assertThat(rotated.refresh()).isNotEqualTo(login.refresh());
    assertThat(tokens.verifyRefresh(rotated.refresh()).generation()).isEqualTo(1);
    clock.advance(SessionService.ROTATION_LEEWAY);
    assertThat(refresh(login)).isEqualTo(rotated);
    assertThat(sessions.isRevoked(sid(login))).isFalse();
    // the newest one goes on working
    assertThat(tokens.verifyRefresh(refresh(rotated).refresh()).generation()).isEqualTo(2);
  }

  @Test
  void theOldTokenAfterTheLeewayIsAReuseThatRevokesTheWholeSession() {
    TokenPair login = sessions.open(alice.id());
    TokenPair rotated = refresh(login);
    clock.advance(SessionService.ROTATION_LEEWAY.plusMillis(1));

    assertUnauthorized(() -> refresh(login));
    assertThat(sessions.isRevoked(sid(login))).isTrue();
    assertUnauthorized(() -> refresh(rotated)); // the newest token dies with its session
    assertThat(closed).containsExactly(alice.id() + "/" + sid(login));
    assertThat(published).contains(new BrokerEvent.SessionsRevoked(alice.id(), List.of(sid(login))));
  }

  @Test
  void aTokenTwoGenerationsOldIsAReuseEvenWithinTheLeeway() {
    TokenPair login = sessions.open(alice.id());
    TokenPair second = refresh(login);
    refresh(second);

    assertUnauthorized(() -> refresh(login));
    assertThat(sessions.isRevoked(sid(login))).isTrue();
  }

  @Test
  void logoutRevokesOnceAndToleratesRepeats() {
    TokenPair login = sessions.open(alice.id());
    TokenPair other = sessions.open(alice.id());
    VerifiedToken refreshToken = tokens.verifyRefresh(login.refresh());

    sessions.logout(refreshToken);
    sessions.logout(refreshToken);

    assertThat(sessions.isRevoked(sid(login))).isTrue();
    assertThat(sessions.isRevoked(sid(other))).isFalse();
    assertThat(closed).hasSize(1);
    assertUnauthorized(() -> refresh(login));
    assertThat(refresh(other)).isNotNull();
  }

  @Test
  void revokeAllOfKeepsTheOneNamed() {
    TokenPair keep = sessions.open(alice.id());
    TokenPair a = sessions.open(alice.id());
    TokenPair b = sessions.open(alice.id());

    sessions.revokeAllOf(alice.id(), sid(keep));

    assertThat(sessions.isRevoked(sid(keep))).isFalse();
    assertThat(sessions.isRevoked(sid(a))).isTrue();
    assertThat(sessions.isRevoked(sid(b))).isTrue();
  }

  @Test
  void anotherNodeLearnsRevocationsFromTheStoreWhenTheBrokerMissedThem() {
    TokenPair login = sessions.open(alice.id());
    SessionService otherNode = new SessionService(store, tokens, new InMemoryBroker(), clock);
    List<String> otherClosed = new CopyOnWriteArrayList<>();
    otherNode.onRevoked((user, session) -> otherClosed.add(session));

    sessions.logout(tokens.verifyRefresh(login.refresh()));
    assertThat(otherNode.isRevoked(sid(login))).isFalse();
    otherNode.poll();

    assertThat(otherNode.isRevoked(sid(login))).isTrue();
    assertThat(otherClosed).containsExactly(sid(login));
  }

  @Test
  void aRestartedNodeLoadsRecentRevocations() {
    TokenPair login = sessions.open(alice.id());
    sessions.logout(tokens.verifyRefresh(login.refresh()));
    clock.advance(Duration.ofMinutes(10));

    SessionService restarted = new SessionService(store, tokens, new InMemoryBroker(), clock);
    restarted.loadRevocations();

    assertThat(restarted.isRevoked(sid(login))).isTrue();
  }

  @Test
  void aTicketWorksOnceWithinItsLifetime() {
    TokenPair login = sessions.open(alice.id());
    VerifiedToken access = tokens.verifyAccess(login.access());
    AuthenticatedUser caller = new AuthenticatedUser(alice.user(), access.expiresAtMillis(),
        access.sessionId());

    String ticket = sessions.issueTicket(caller);
    clock.advance(SessionService.TICKET_TTL);
    AuthenticatedUser in = sessions.redeemTicket(ticket);

    assertThat(in).isEqualTo(caller);
    assertUnauthorized(() -> sessions.redeemTicket(ticket));
    String late = sessions.issueTicket(caller);
    clock.advance(SessionService.TICKET_TTL.plusMillis(1));
    assertUnauthorized(() -> sessions.redeemTicket(late));
    assertUnauthorized(() -> sessions.redeemTicket("no-such-ticket"));
  }

  @Test
  void aTicketOfARevokedSessionIsRefused() {
    TokenPair login = sessions.open(alice.id());
    VerifiedToken access = tokens.verifyAccess(login.access());
    String ticket = sessions.issueTicket(new AuthenticatedUser(alice.user(),
        access.expiresAtMillis(), access.sessionId()));

    sessions.revokeAllOf(alice.id(), null);

    assertUnauthorized(() -> sessions.redeemTicket(ticket));
  }

  @Test
  void pruningForgetsOnlyWhatNoTokenCanUseAnyMore() {
    String old = sid(sessions.open(alice.id()));
    clock.advance(Duration.ofDays(32));
    String fresh = sid(sessions.open(alice.id()));

    sessions.prune();

    assertThat(store.findSession(old)).isEmpty();
    assertThat(store.findSession(fresh)).isPresent();
  }
}
