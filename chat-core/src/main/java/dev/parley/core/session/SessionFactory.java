package dev.parley.core.session;

import dev.parley.core.WireErrors;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.Authenticator;
import dev.parley.core.messaging.MessageService;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.conversations.ConversationService;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.HelloFrame;
import dev.parley.protocol.model.User;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Opens sessions for authenticated connections. */
public final class SessionFactory {
  private final String nodeId;
  private final String idPrefix;
  private final int heartbeatSeconds;
  private final SessionTable registry;
  private final PresenceTracker presence;
  private final FrameDispatcher dispatcher;
  private final Predicate<String> revokedLoginSession;
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param revokedLoginSession tells whether a login session ({@code sid}) was revoked: a
   *     connection whose session was revoked between its authentication and its registration is
   *     closed at once, since the revocation's own close could not find it yet
   */
  public SessionFactory(String nodeId, int heartbeatSeconds, FrameCodec codec,
                        SessionTable registry, MessageService messages, ConversationService conversations,
                        PresenceTracker presence, Authenticator authenticator, Executor worker,
                        Predicate<String> revokedLoginSession) {
    this(nodeId, heartbeatSeconds, codec, registry, messages, conversations, presence, authenticator,
        worker, revokedLoginSession, WireErrors.LOG_ONLY);
  }

  /** With the engine's {@link WireErrors}, through which every error frame's text goes. */
  public SessionFactory(String nodeId, int heartbeatSeconds, FrameCodec codec,
                        SessionTable registry, MessageService messages, ConversationService conversations,
                        PresenceTracker presence, Authenticator authenticator, Executor worker,
                        Predicate<String> revokedLoginSession, WireErrors wireErrors) {
    this(nodeId, heartbeatSeconds, codec, registry, messages, conversations, presence, authenticator,
        worker, revokedLoginSession, wireErrors, (subject, viewer) -> false);
  }

  /**
   * With {@code hidden}: (subject, viewer) is true when the viewer must not learn the subject's
   * presence (the subject blocks the viewer, contract 7.4). Called on the connection's thread:
   * it must not block.
   */
  public SessionFactory(String nodeId, int heartbeatSeconds, FrameCodec codec,
                        SessionTable registry, MessageService messages, ConversationService conversations,
                        PresenceTracker presence, Authenticator authenticator, Executor worker,
                        Predicate<String> revokedLoginSession, WireErrors wireErrors,
                        java.util.function.BiPredicate<String, String> hidden) {
    this.nodeId = nodeId;
    this.idPrefix = nodeId + "-";
    this.revokedLoginSession = revokedLoginSession;
    this.heartbeatSeconds = heartbeatSeconds;
    this.registry = registry;
    this.presence = presence;
    this.dispatcher = new FrameDispatcher(codec, registry, messages, conversations, presence,
        authenticator, worker, wireErrors, hidden);
  }

  /**
   * Registers a new connection of {@code user}, who belongs to {@code conversationIds}, and sends it
   * {@code hello}. {@code hello} goes out before the registration, so it is the first frame
   * whatever thread the connection's {@link Connection#send} is called from; every message
   * committed after the registration follows it.
   */
  public Session open(AuthenticatedUser user, List<String> conversationIds, Connection connection) {
    // a user's connections here (devices, tabs) share one copy of the profile and, when they
    // came in with the same login, of its id: ~270 bytes of strings per further connection
    User profile = user.user();
    String loginSessionId = user.sessionId();
    Session twin = registry.latestSessionOf(user.id());
    if (twin != null) {
      profile = twin.user().equals(profile) ? twin.user() : profile;
      loginSessionId = Objects.equals(twin.loginSessionId(), loginSessionId) ? twin.loginSessionId() : loginSessionId;
    }
    Session session = new Session(idPrefix, ids.incrementAndGet(), profile,
        user.expiresAtMillis(), loginSessionId, connection, dispatcher);
    // hello before registering: once registered, the commit thread may deliver at any moment
    session.send(new HelloFrame(user.user(), nodeId, heartbeatSeconds, user.expiresAtMillis()));
    boolean first = registry.open(session, conversationIds);
    if (first) {
      presence.firstConnected(user.id(), conversationIds);
    }
    if (user.sessionId() != null && revokedLoginSession.test(user.sessionId())) {
      connection.close(CloseCodes.TOKEN_EXPIRED, "session revoked");
    }
    return session;
  }
}
