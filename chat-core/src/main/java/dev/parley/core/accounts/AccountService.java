package dev.parley.core.accounts;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.PasswordHasher;
import dev.parley.core.auth.TokenPair;
import dev.parley.core.auth.TokenService;
import dev.parley.core.auth.VerifiedToken;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.UserAccount;
import dev.parley.core.limits.Limiter;
import dev.parley.core.limits.RateLimits;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in accounts: registration, login, token refresh, lookup and search, and the host's
 * disable/delete. Every method blocks (store, bcrypt): call it on a worker thread.
 */
public final class AccountService {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  private static final int MIN_PASSWORD = 8;
  private static final int MAX_PASSWORD = 1024;
  private static final int MAX_DISPLAY_NAME = 64;
  private static final int SEARCH_LIMIT = 20;
  /** Not a bcrypt hash: no password ever matches it. */
  private static final String NO_PASSWORD = "!";

  private final ChatStore store;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Broker broker;
  private final SessionService sessions;
  private final Clock clock;
  /** 10 failed logins at once per account, then one per 6 s (10 a minute). */
  private final Limiter accountFailures;
  /** 30 failed logins at once per address, then one per 2 s. */
  private final Limiter addressFailures;

  public AccountService(ChatStore store, PasswordHasher hasher, TokenService tokens, Broker broker,
                        SessionService sessions, Clock clock) {
    this(store, hasher, tokens, broker, sessions, clock, RateLimits.local());
  }

  /** With the failed-login buckets kept in {@code limits} (shared by a cluster's nodes, or local). */
  public AccountService(ChatStore store, PasswordHasher hasher, TokenService tokens, Broker broker,
                        SessionService sessions, Clock clock, RateLimits limits) {
    this.accountFailures = limits.limiter("login-account", 10.0 / 60, 10);
    this.addressFailures = limits.limiter("login-address", 30.0 / 60, 30);
    this.store = store;
    this.hasher = hasher;
    this.tokens = tokens;
    this.broker = broker;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** Login sessions: revocation, tickets. */
  public SessionService sessions() {
    return sessions;
  }

  /** Creates an account: 400 on a bad username or password, 409 when the name is taken. */
  public User register(String username, String password, String displayName) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ChatException.badRequest("username must be 3 to 32 of A-Z a-z 0-9 _ . -");
    }
    if (password == null) {
      throw ChatException.badRequest("password must be at least " + MIN_PASSWORD + " characters");
    }
    requirePasswordShape(password, "password");
    String name = displayName == null || displayName.isBlank() ? username : validDisplayName(displayName);
    if (store.findAccountByUsername(username).isPresent()) {
      throw ChatException.conflict("username is taken");
    }
    return store.createUser(username, name, hasher.hash(password), clock.millis());
  }

  /**
   * Creates an account managed by the host application: it has no password (login is refused),
   * and the host authenticates the user with its own {@link dev.parley.core.auth.Authenticator}.
   */
  public User createManagedUser(String username, String displayName) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ChatException.badRequest("username must be 3 to 32 of A-Z a-z 0-9 _ . -");
    }
    String name = displayName == null || displayName.isBlank() ? username : validDisplayName(displayName);
    return store.createUser(username, name, NO_PASSWORD, clock.millis());
  }

  /**
   * Checks the password, opens a login session and issues its tokens; 401 for an unknown user, a
   * wrong password or a disabled account.
   */
  public TokenPair login(String username, String password) {
    return login(username, password, null);
  }

  /**
   * Like {@link #login(String, String)}, with brute force slowed down: failed attempts are
   * counted per account and per client address (when given), and past their limits every attempt
   * (right or wrong) gets 429 until the buckets refill.
   */
  public TokenPair login(String username, String password, String clientAddress) {
    requireBuiltIn();
    if (username == null || password == null) {
      throw ChatException.badRequest("username and password are required");
    }
    String accountKey = username.toLowerCase(java.util.Locale.ROOT);
    requireAttemptsLeft(accountKey, clientAddress, "too many failed logins, try again later");
    Optional<UserAccount> account = store.findAccountByUsername(username);
    boolean ok;
    if (account.isEmpty()) {
      hasher.burnTime(password);
      ok = false;
    } else {
      ok = hasher.matches(password, account.get().passwordHash()) && !account.get().disabled();
    }
    if (!ok) {
      countFailure(accountKey, clientAddress);
      throw ChatException.unauthorized("invalid username or password");
    }
    return sessions.open(account.get().id());
  }

  /**
   * Exchanges a refresh token for a new pair, rotating it (see {@link SessionService#refresh});
   * 401 when it is bad, expired, an access token, of a revoked session, or reused.
   */
  public TokenPair refresh(String refreshToken) {
    requireBuiltIn();
    if (refreshToken == null || refreshToken.isEmpty()) {
      throw ChatException.unauthorized("missing refresh token");
    }
    VerifiedToken token = tokens.verifyRefresh(refreshToken);
    return sessions.refresh(token, enabledAccount(token.userId()));
  }

  /**
   * Ends the session of a refresh token: done also when it already ended or the token expired;
   * 401 for a token that is malformed, forged or not a refresh token.
   */
  public void logout(String refreshToken) {
    requireBuiltIn();
    if (refreshToken == null || refreshToken.isEmpty()) {
      throw ChatException.unauthorized("missing refresh token");
    }
    sessions.logout(tokens.verifyRefreshForLogout(refreshToken));
  }

  /** Ends every session of the user, the caller's own included. */
  public void logoutEverywhere(String userId) {
    sessions.revokeAllOf(userId, null);
  }

  /**
   * Changes the caller's password and ends every other session of theirs. 403 when
   * {@code current} is wrong (counted, with the login attempts, against the account's and the
   * address's failure limits: past them, 429), 400 when {@code next} is too short or too long.
   */
  public void changePassword(AuthenticatedUser caller, String current, String next,
                             String clientAddress) {
    requireBuiltIn();
    if (current == null || next == null) {
      throw ChatException.badRequest("current and new are required");
    }
    requirePasswordShape(next, "new password");
    UserAccount account = enabledAccount(caller.id());
    String accountKey = account.user().username().toLowerCase(java.util.Locale.ROOT);
    requireAttemptsLeft(accountKey, clientAddress, "too many wrong passwords, try again later");
    if (!hasher.matches(current, account.passwordHash())) {
      countFailure(accountKey, clientAddress);
      throw ChatException.forbidden("current password is wrong");
    }
    store.updatePasswordHash(account.id(), hasher.hash(next));
    sessions.revokeAllOf(account.id(), caller.sessionId());
  }

  private UserAccount enabledAccount(String userId) {
    UserAccount account = store.findAccount(userId)
        .orElseThrow(() -> ChatException.unauthorized("unknown user"));
    if (account.disabled()) {
      throw ChatException.unauthorized("user is disabled");
    }
    return account;
  }

  private void requireAttemptsLeft(String accountKey, String clientAddress, String message) {
    if (!accountFailures.hasToken(accountKey)
        || (clientAddress != null && !addressFailures.hasToken(clientAddress))) {
      throw new ChatException(ErrorCode.RATE_LIMITED, message);
    }
  }

  private void countFailure(String accountKey, String clientAddress) {
    accountFailures.tryAcquire(accountKey);
    if (clientAddress != null) {
      addressFailures.tryAcquire(clientAddress);
    }
  }

  private static void requirePasswordShape(String password, String what) {
    if (password.length() < MIN_PASSWORD) {
      throw ChatException.badRequest(what + " must be at least " + MIN_PASSWORD + " characters");
    }
    if (password.length() > MAX_PASSWORD) {
      throw ChatException.badRequest(what + " must be at most " + MAX_PASSWORD + " characters");
    }
  }

  private void requireBuiltIn() {
    if (tokens == null) {
      throw ChatException.notFound("built-in accounts are disabled on this server");
    }
  }

  /** Forgets idle brute-force buckets; called now and then. */
  public void evictIdleLimits() {
    accountFailures.evictIdle();
    addressFailures.evictIdle();
  }

  static String validDisplayName(String displayName) {
    String name = displayName == null ? "" : displayName.strip();
    if (name.isEmpty()) {
      throw ChatException.badRequest("displayName must not be empty");
    }
    if (name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME) {
      throw ChatException.badRequest("displayName must be at most " + MAX_DISPLAY_NAME + " characters");
    }
    // format characters can disguise a name (U+202E turns it around); the joiners stay, as
    // emoji sequences and some scripts need them
    boolean unsafe = name.codePoints().anyMatch(c -> Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT && c != 0x200C && c != 0x200D
        || Character.getType(c) == Character.LINE_SEPARATOR
        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    if (unsafe) {
      throw ChatException.badRequest("displayName must not contain control characters");
    }
    return name;
  }

  public User get(String userId) {
    return store.findUser(userId).orElseThrow(() -> ChatException.notFound("no such user"));
  }

  /** Case-insensitive username prefix search, at most 20, ordered by username. */
  public List<User> search(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw ChatException.badRequest("q must not be empty");
    }
    return store.searchUsers(prefix, SEARCH_LIMIT);
  }

  /** Disables (or re-enables) an account; a disabled user's connections are closed with 4403. */
  public void setDisabled(String userId, boolean disabled) {
    store.setDisabled(userId, disabled);
    if (disabled) {
      broker.publish(new BrokerEvent.UserDisabled(userId));
    }
  }

  /** Deletes an account; its connections are closed with 4403. Returns false if unknown. */
  public boolean delete(String userId) {
    boolean deleted = store.deleteUser(userId);
    if (deleted) {
      broker.publish(new BrokerEvent.UserDisabled(userId));
    }
    return deleted;
  }
}
