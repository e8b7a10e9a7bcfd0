package dev.parley.core.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.LogSafe;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.AvatarImage;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.store.LogRules;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.StoreUnavailableException;
import dev.parley.core.store.RevokedSession;
import dev.parley.core.store.SessionRecord;
import dev.parley.core.store.TicketGrant;
import dev.parley.core.store.UserAccount;
import dev.parley.core.store.VapidKeys;
import dev.parley.core.store.PushSubscriptionRecord;
import dev.parley.core.store.WebhookBacklog;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@link ChatStore} on SQLite ({@code jdbc:sqlite:<file>}) or PostgreSQL
 * ({@code jdbc:postgresql://...}), through a HikariCP pool named {@code parley-store}. {@link #open}
 * creates what is missing (the SQLite file's directory, the PostgreSQL {@code currentSchema}) and
 * applies the schema migrations. Several processes may share one PostgreSQL database: seqs stay
 * gap-free because each batch reserves them under the thread row's lock.
 *
 * <p>A host application that already has a pool passes it to {@link #open(DataSource)} instead.
 */
public final class JdbcChatStore implements ChatStore {
  /** Most parameters put in one {@code IN (...)} list. */
  private static final int IN_CHUNK = 500;
  private static final String THREAD_COLUMNS = "id, kind, title, creator, created_at, last_seq";
  private static final String ATTACHMENT_COLUMNS =
      "id, content_type, size, filename, uploader, storage_key, created_at";
  private static final Sql.RowReader<String> STRING = rs -> rs.getString(1);
  private static final Sql.RowReader<User> USER = rs -> Rows.user(rs, 1);

  private final Dialect dialect;
  private final SqliteCheckpointer checkpointer;
  private final DataSource dataSource;
  /** The pool this store opened and closes, or null when the host owns {@link #dataSource}. */
  private final HikariDataSource ownPool;
  private final String safeUrl;
  private final Rows rows = new Rows();
  /** Set by {@link #close()}: a host's pool outlives the store, which must still stop working. */
  private volatile boolean closed;
  private final SearchIndex searchIndex;
  private final StatementCache statementCache = StatementCache.forWriter();
  /** Statements of the reads every WebSocket handshake makes, kept compiled per connection. */
  private final StatementCache handshakeReads = StatementCache.forReads();

  private JdbcChatStore(Dialect dialect, HikariDataSource dataSource, String safeUrl,
                        boolean sqliteFile) {
    this.dialect = dialect;
    this.searchIndex = new SearchIndex(dialect);
    this.dataSource = dataSource;
    this.ownPool = dataSource;
    this.safeUrl = safeUrl;
    this.checkpointer = sqliteFile ? SqliteCheckpointer.start(dataSource) : null;
  }

  private JdbcChatStore(Dialect dialect, DataSource hostDataSource, String safeUrl) {
    this.dialect = dialect;
    this.searchIndex = new SearchIndex(dialect);
    this.dataSource = hostDataSource;
    this.ownPool = null;
    this.safeUrl = safeUrl;
    this.checkpointer = null; // the host's connections keep SQLite's own automatic checkpoints
  }

  /**
   * A store on the host application's own {@link DataSource} (its pool, its credentials, its
   * metrics): the database is told from the connection's URL ({@code jdbc:postgresql:} or
   * {@code jdbc:sqlite:}) and its schema migrated. {@link #close()} leaves the data source open:
   * the host closes it. On PostgreSQL several nodes may share the database as with {@link
   * #open(StoreOptions)}. On SQLite the host's connections must be configured as this store's own
   * are: a WAL-mode file, {@code transaction_mode=IMMEDIATE}, foreign keys on, a busy timeout.
   * Throws a {@link StoreUnavailableException} when no connection can be had or migrated.
   */
  public static JdbcChatStore open(DataSource hostDataSource) {
    Objects.requireNonNull(hostDataSource, "hostDataSource");
    String url;
    try (Connection c = hostDataSource.getConnection()) {
      url = c.getMetaData().getURL();
      Dialect dialect = Dialect.of(url);
      new Migrator(dialect, url).migrate(c);
      return new JdbcChatStore(dialect, hostDataSource, "host data source " + LogSafe.url(url));
    } catch (SQLException | RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot open the store on the host's data source: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the pool and migrates the schema. Throws a {@link StoreUnavailableException} when the
   * database cannot be reached or migrated.
   */
  public static JdbcChatStore open(StoreOptions options) {
    Dialect dialect = Dialect.of(options.jdbcUrl());
    String safeUrl = options.safeUrl();
    try {
      dialect.beforePool(options.jdbcUrl());
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot open the store at " + safeUrl + ": " + e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("parley-store");
    config.setJdbcUrl(options.jdbcUrl());
    config.setDriverClassName(dialect.driverClass());
    config.setMaximumPoolSize(options.poolSize());
    config.setConnectionTimeout(options.connectionTimeoutMillis());
    dialect.configure(config);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot open the store at " + safeUrl + ": " + e.getMessage(), e);
    }
    try (Connection c = dataSource.getConnection()) {
      new Migrator(dialect, options.jdbcUrl()).migrate(c);
    } catch (SQLException | RuntimeException e) {
      dataSource.close();
      throw new StoreUnavailableException(
          "cannot migrate the store at " + safeUrl + ": " + e.getMessage(), e);
    }
    return new JdbcChatStore(dialect, dataSource, safeUrl,
        dialect == Dialect.SQLITE && Dialect.sqliteFile(options.jdbcUrl()) != null);
  }

  // ---- users -------------------------------------------------------------------------------

  @Override
  public User createUser(String username, String displayName, String passwordHash, long now) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    User user = new User(Ids.newId(), username,
        displayName == null || displayName.isBlank() ? username : displayName);
    return run("createUser", c -> {
      try {
        Sql.update(c, "INSERT INTO users (id, username, username_lc, display_name, password_hash,"
                + " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            user.id(), username, lower(username), user.displayName(), passwordHash, false, now);
      } catch (SQLException e) {
        throw orChatException(e, dialect.isUniqueViolation(e), ChatException.conflict("username taken"));
      }
      return user;
    });
  }

  @Override
  public Optional<UserAccount> findAccountByUsername(String username) {
    return first("findAccountByUsername",
        "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM users WHERE username_lc = ?", Rows::account,
        lower(username));
  }

  @Override
  public Optional<UserAccount> findAccount(String userId) {
    return firstKept("findAccount", FIND_ACCOUNT_SQL, Rows::account, userId);
  }

  private static final String FIND_ACCOUNT_SQL =
      "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM users WHERE id = ?";

  @Override
  public Optional<User> findUser(String userId) {
    return findAccount(userId).map(UserAccount::user);
  }

  @Override
  public List<User> findUsers(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
    return run("findUsers", c -> Sql.inChunks(distinct, IN_CHUNK, chunk -> Sql.list(c,
        "SELECT " + Rows.USER_COLUMNS + " FROM users WHERE id IN (" + Sql.marks(chunk.size()) + ")",
        USER, chunk.toArray())));
  }

  @Override
  public List<User> searchUsers(String prefix, int limit) {
    if (limit < 1) {
      return List.of();
    }
    return list("searchUsers", "SELECT " + Rows.USER_COLUMNS + " FROM users"
            + " WHERE username_lc LIKE ? ESCAPE '!' ORDER BY username_lc LIMIT ?", USER,
        escapeLike(lower(prefix)) + "%", limit);
  }

  @Override
  public void setDisabled(String userId, boolean disabled) {
    update("setDisabled", "UPDATE users SET disabled = ? WHERE id = ?", disabled, userId);
  }

  @Override
  public boolean deleteUser(String userId) {
    // memberships go with the account (ON DELETE CASCADE); messages stay, attributed to the id
    return update("deleteUser", "DELETE FROM users WHERE id = ?", userId) > 0;
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return update("updatePasswordHash", "UPDATE users SET password_hash = ? WHERE id = ?",
        passwordHash, userId) > 0;
  }

  @Override
  public boolean updateDisplayName(String userId, String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    return update("updateDisplayName", "UPDATE users SET display_name = ? WHERE id = ?",
        displayName, userId) > 0;
  }

  @Override
  public boolean setAvatar(String userId, AvatarImage image, long now) {
    Objects.requireNonNull(image, "image");
    return transaction("setAvatar", c -> {
      if (Sql.update(c, "UPDATE users SET avatar_version = ? WHERE id = ?", image.version(), userId) == 0) {
        return false;
      }
      Sql.update(c, "INSERT INTO avatars (user_id, version, content_type, data, updated_at)"
              + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET version = excluded.version,"
              + " content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at",
          userId, image.version(), image.contentType(), image.bytes(), now);
      return true;
    });
  }

  @Override
  public boolean removeAvatar(String userId) {
    return transaction("removeAvatar", c -> {
      Sql.update(c, "DELETE FROM avatars WHERE user_id = ?", userId);
      return Sql.update(c, "UPDATE users SET avatar_version = NULL WHERE id = ?", userId) > 0;
    });
  }

  @Override
  public Optional<AvatarImage> findAvatar(String userId, String version) {
    return first("findAvatar", "SELECT version, content_type, data FROM avatars"
            + " WHERE user_id = ? AND version = ?",
        rs -> new AvatarImage(rs.getString(1), rs.getString(2), rs.getBytes(3)), userId, version);
  }

  @Override
  public void recordLastSeen(Map<String, Long> times) {
    if (times.isEmpty()) {
      return;
    }
    transaction("recordLastSeen", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET last_seen_at = ? WHERE id = ?"
          + " AND (last_seen_at IS NULL OR last_seen_at < ?)")) {
        for (Map.Entry<String, Long> e : times.entrySet()) {
          Sql.bind(ps, e.getValue(), e.getKey(), e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public OptionalLong lastSeen(String userId) {
    return first("lastSeen", "SELECT last_seen_at FROM users WHERE id = ? AND last_seen_at IS NOT NULL",
        rs -> rs.getLong(1), userId).map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  // ---- sessions ----------------------------------------------------------------------------

  @Override
  public void createSession(String sessionId, String userId, long now) {
    insertReferencing("createSession", () -> ChatException.unauthorized("unknown user"),
        "INSERT INTO sessions (id, user_id, created_at, generation, rotated_at, revoked_at)"
            + " VALUES (?, ?, ?, 0, ?, NULL)", sessionId, userId, now, now);
  }

  @Override
  public Optional<SessionRecord> findSession(String sessionId) {
    return first("findSession",
        "SELECT id, user_id, generation, rotated_at, revoked_at FROM sessions WHERE id = ?", rs -> {
          long revokedAt = rs.getLong(5);
          Long revoked = rs.wasNull() ? null : revokedAt;
          return new SessionRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              revoked);
        }, sessionId);
  }

  @Override
  public boolean rotateSession(String sessionId, long fromGeneration, long now) {
    return update("rotateSession", "UPDATE sessions SET generation = generation + 1, rotated_at = ?"
        + " WHERE id = ? AND generation = ? AND revoked_at IS NULL", now, sessionId, fromGeneration) > 0;
  }

  @Override
  public boolean revokeSession(String sessionId, long now) {
    return update("revokeSession",
        "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, sessionId) > 0;
  }

  @Override
  public List<String> revokeSessionsOf(String userId, String exceptSessionId, long now) {
    return list("revokeSessionsOf", "UPDATE sessions SET revoked_at = ? WHERE user_id = ?"
            + " AND revoked_at IS NULL AND id <> ? RETURNING id", STRING,
        now, userId, exceptSessionId == null ? "" : exceptSessionId);
  }

  @Override
  public List<RevokedSession> sessionsRevokedSince(long since) {
    return list("sessionsRevokedSince",
        "SELECT id, user_id, revoked_at FROM sessions WHERE revoked_at >= ?",
        rs -> new RevokedSession(rs.getString(1), rs.getString(2), rs.getLong(3)), since);
  }

  @Override
  public void saveTicket(String ticketHash, TicketGrant grant, long expiresAt) {
    update("saveTicket", "INSERT INTO ws_tickets (hash, user_id, session_id, token_expires_at,"
            + " expires_at) VALUES (?, ?, ?, ?, ?)",
        ticketHash, grant.userId(), grant.sessionId(), grant.tokenExpiresAt(), expiresAt);
  }

  @Override
  public Optional<TicketGrant> redeemTicket(String ticketHash, long now) {
    return first("redeemTicket", "DELETE FROM ws_tickets WHERE hash = ?"
            + " RETURNING user_id, session_id, token_expires_at, expires_at",
        rs -> rs.getLong(4) < now
            ? null : new TicketGrant(rs.getString(1), rs.getString(2), rs.getLong(3)),
        ticketHash);
  }

  @Override
  public int pruneSessions(long sessionsRotatedBefore, long ticketsExpiredBefore) {
    return run("pruneSessions", c ->
        Sql.update(c, "DELETE FROM sessions WHERE rotated_at < ?", sessionsRotatedBefore)
            + Sql.update(c, "DELETE FROM ws_tickets WHERE expires_at < ?", ticketsExpiredBefore));
  }

  // ---- threads -----------------------------------------------------------------------------

  @Override
  public ChatThread createGroup(String title, String creatorId, Collection<String> memberIds,
                                long now) {
    Objects.requireNonNull(creatorId, "creatorId");
    Set<String> members = new LinkedHashSet<>();
    members.add(creatorId);
    members.addAll(memberIds);
    String id = Ids.newId();
    return transaction("createGroup", c -> {
      insertThread(c, id, ChatThread.GROUP, title, creatorId, null, now);
      insertMembers(c, id, members, now);
      return loadThread(c, id).orElseThrow();
    });
  }

  @Override
  public DirectThreadResult findOrCreateDirect(String userA, String userB, long now) {
    Objects.requireNonNull(userA, "userA");
    Objects.requireNonNull(userB, "userB");
    String key = userA.compareTo(userB) <= 0 ? userA + ":" + userB : userB + ":" + userA;
    Optional<ChatThread> existing = run("findOrCreateDirect", c -> findDirect(c, key));
    if (existing.isPresent()) {
      return new DirectThreadResult(existing.get(), false);
    }
    String id = Ids.newId();
    Optional<ChatThread> created = transaction("findOrCreateDirect", c -> {
      if (!insertThread(c, id, ChatThread.DIRECT, null, userA, key, now)) {
        return Optional.empty(); // a concurrent caller created it first
      }
      insertMembers(c, id, new LinkedHashSet<>(List.of(userA, userB)), now);
      return loadThread(c, id);
    });
    if (created.isPresent()) {
      return new DirectThreadResult(created.get(), true);
    }
    ChatThread winner = run("findOrCreateDirect", c -> findDirect(c, key)).orElseThrow(
        () -> ChatException.unavailable("the direct thread of the pair vanished while created"));
    return new DirectThreadResult(winner, false);
  }

  @Override
  public Optional<ChatThread> findThread(String conversationId) {
    return run("findThread", c -> loadThread(c, conversationId));
  }

  @Override
  public boolean isMember(String conversationId, String userId) {
    return run("isMember", c -> Sql.exists(c,
        "SELECT 1 FROM members WHERE thread_id = ? AND user_id = ?", conversationId, userId));
  }

  @Override
  public List<String> memberIds(String conversationId) {
    return list("memberIds",
        "SELECT user_id FROM members WHERE thread_id = ? ORDER BY joined_at, user_id", STRING,
        conversationId);
  }

  @Override
  public List<String> conversationIdsOf(String userId) {
    return listKept("conversationIdsOf", "SELECT thread_id FROM members WHERE user_id = ?",
        STRING, userId);
  }

  @Override
  public boolean addMember(String conversationId, String userId, long now) {
    return insertReferencing("addMember", () -> ChatException.notFound("unknown thread or user"),
        "INSERT INTO members (thread_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        conversationId, userId, now) > 0;
  }

  @Override
  public boolean removeMember(String conversationId, String userId) {
    return update("removeMember", "DELETE FROM members WHERE thread_id = ? AND user_id = ?",
        conversationId, userId) > 0;
  }

  @Override
  public List<ThreadSummary> listThreads(String userId) {
    return run("listThreads", c -> {
      Map<String, List<User>> members = new HashMap<>();
      Sql.each(c, "SELECT mm.thread_id, " + Rows.userColumns("u") + " FROM members m"
              + " JOIN members mm ON mm.thread_id = m.thread_id JOIN users u ON u.id = mm.user_id"
              + " WHERE m.user_id = ? ORDER BY mm.thread_id, mm.joined_at, mm.user_id",
          rs -> members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(Rows.user(rs, 2)),
          userId);
      return Sql.list(c,
          "SELECT t.id, t.kind, t.title, t.creator, t.created_at, t.last_seq,"
              // messages only, in their current state: change entries and deleted messages
              // neither count as unread nor stand as the last message
              + " (SELECT COUNT(*) FROM messages x WHERE x.thread_id = t.id"
              + "   AND x.seq > m.read_seq AND x.sender <> ? AND x.kind = 0 AND x.deleted = 0),"
              + " " + prefixed("lm.", Rows.MESSAGE_COLUMNS)
              + " FROM members m JOIN threads t ON t.id = m.thread_id"
              + " LEFT JOIN messages lm ON lm.thread_id = t.id AND lm.seq ="
              + "   (SELECT MAX(y.seq) FROM messages y WHERE y.thread_id = t.id AND y.kind = 0"
              + "     AND y.deleted = 0)"
              + " WHERE m.user_id = ? ORDER BY t.last_activity DESC, t.id",
          rs -> {
            ChatThread thread = thread(rs, members.getOrDefault(rs.getString(1), List.of()));
            Message last = rs.getString(10) == null ? null : rows.message(rs, 8);
            return new ThreadSummary(thread, last, rs.getLong(7));
          },
          userId, userId);
    });
  }

  // ---- messages ----------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>A plain message whose clientId was stored before is found by the unique index on
   * (thread, clientId, sender) rather than by a look-up per batch: the batch is first written
   * assuming no such repeat, and only if the index refuses a row is it rolled back and written
   * again, this time looking the clientIds up. Repeats are rare (a client resending after a lost
   * ack), and the look-up was a fifth of the commit thread's time. Changes and replies, which
   * the thread log judges before they are written, are always looked up first.
   */
  @Override
  public List<AppendResult> appendBatch(List<PendingMessage> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    // threads in a fixed order, so that two nodes locking the same threads cannot deadlock
    TreeMap<String, List<Integer>> byThread = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      byThread.computeIfAbsent(batch.get(i).thread(), k -> new ArrayList<>()).add(i);
    }
    try {
      return appendBatch(batch, byThread, false);
    } catch (RepeatedClientId repeated) {
      return appendBatch(batch, byThread, true);
    }
  }

  /** Thrown out of the first try of a batch when the clientId index refused one of its rows. */
  private static final class RepeatedClientId extends RuntimeException {
    RepeatedClientId(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private List<AppendResult> appendBatch(List<PendingMessage> batch,
                                         TreeMap<String, List<Integer>> byThread,
                                         boolean lookUpClientIds) {
    AppendResult[] results = new AppendResult[batch.size()];
    try {
      appendInTransaction(batch, byThread, lookUpClientIds, results);
    } catch (RuntimeException e) {
      searchIndex.catchUpFailed(); // it may have caught up in the transaction that failed
      throw e;
    }
    return List.of(results);
  }

  private void appendInTransaction(List<PendingMessage> batch, TreeMap<String, List<Integer>> byThread,
                                   boolean lookUpClientIds, AppendResult[] results) {
    transaction("appendBatch", c -> {
      String lockSql = dialect.lockThreadSql();
      try (StatementCache.Statements statements = statementCache.on(c)) {
        PreparedStatement lock = lockSql == null ? null : statements.prepare(lockSql);
        PreparedStatement reserve = statements.prepare(RESERVE_SEQS_SQL);
        SearchIndex.Numbering docs = searchIndex.numbering(statements);
        PreparedStatement insert = statements.prepare(
            docs == null ? INSERT_MESSAGE_SQL : INSERT_NUMBERED_MESSAGE_SQL);
        PreparedStatement link = statements.prepare(LINK_ATTACHMENT_SQL);
        boolean links = false;
        List<ThreadLog> logs = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : byThread.entrySet()) {
          links |= appendToThread(c, entry.getKey(), entry.getValue(), batch, results,
              lock, reserve, insert, docs, link, logs, lookUpClientIds);
        }
        try {
          insert.executeBatch();
        } catch (SQLException e) {
          if (!lookUpClientIds && dialect.isUniqueViolation(e) && hasClientIds(batch)) {
            throw new RepeatedClientId(e); // rolled back; written again with the look-up
          }
          throw e;
        }
        // new messages go into the search index as sent (on SQLite: numbered now, indexed by the
        // next catch-up); the log's edits and deletes then take them (and older ones) out or put
        // their new text in, in this same transaction
        if (docs == null) {
          searchIndex.add(statements, freshMessages(results));
        }
        for (ThreadLog log : logs) {
          log.apply();
        }
        if (links) {
          link.executeBatch();
        }
        if (docs != null && searchIndex.dueInNanos() == 0) {
          // in this batch's transaction, whose write lock is already held: a catch-up of its
          // own would wait for the lock again when another process holds it
          searchIndex.catchUp(c);
        }
      }
      return null;
    });
  }

  // changes take seqs too, but only messages move a thread up the list
  private static final String RESERVE_SEQS_SQL = "UPDATE threads SET last_seq = last_seq + ?,"
      + " last_activity = CASE WHEN ? > 0 THEN ? ELSE last_activity END"
      + " WHERE id = ? RETURNING last_seq";
  private static final String INSERT_MESSAGE_SQL = "INSERT INTO messages ("
      + Rows.MESSAGE_COLUMNS + ") VALUES (" + Sql.marks(Rows.MESSAGE_COLUMN_COUNT) + ")";
  /** With the search document number (SQLite), which follows the columns of the row. */
  private static final String INSERT_NUMBERED_MESSAGE_SQL = "INSERT INTO messages ("
      + Rows.MESSAGE_COLUMNS + ", doc_id) VALUES (" + Sql.marks(Rows.MESSAGE_COLUMN_COUNT + 1) + ")";
  private static final String LINK_ATTACHMENT_SQL =
      "INSERT INTO message_attachments (attachment_id, thread_id) VALUES (?, ?)"
          + " ON CONFLICT DO NOTHING";

  private static boolean hasClientIds(List<PendingMessage> batch) {
    for (PendingMessage p : batch) {
      if (p.clientId() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Plans one thread's part of a batch and adds its rows to the batch statements. Without
   * {@code lookUpClientIds}, a clientId of a plain message stored by an earlier batch is not
   * looked for: the caller relies on the unique index to refuse the row.
   */
  private boolean appendToThread(Connection c, String conversationId, List<Integer> indexes,
                                 List<PendingMessage> batch, AppendResult[] results,
                                 PreparedStatement lock, PreparedStatement reserve,
                                 PreparedStatement insert, SearchIndex.Numbering docs,
                                 PreparedStatement link,
                                 List<ThreadLog> logs, boolean lookUpClientIds)
      throws SQLException {
    Map<String, Set<String>> clientIdsBySender = new HashMap<>();
    boolean logRules = false;
    for (int i : indexes) {
      PendingMessage p = batch.get(i);
      if (p.clientId() != null) {
        clientIdsBySender.computeIfAbsent(p.sender(), k -> new LinkedHashSet<>()).add(p.clientId());
      }
      logRules |= p.change() != null || p.replyTo() != null;
    }
    if (lock != null && (logRules || !clientIdsBySender.isEmpty())) {
      // hold the thread row before looking for duplicates or at the messages changed, so that
      // a concurrent writer of the same thread on another node is seen once it commits
      lock.setString(1, conversationId);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next()) {
          throw ChatException.notFound("unknown thread " + conversationId);
        }
      }
    }
    Map<String, Message> stored = Map.of();
    // the log's rules would judge a resent change or reply anew (refused, or "nothing changed")
    // before the index could see the repeat: those always look their clientIds up first
    if ((lookUpClientIds || logRules) && !clientIdsBySender.isEmpty()) {
      stored = storedByClientId(c, conversationId, clientIdsBySender);
    }
    ThreadLog log = logRules ? new ThreadLog(c, conversationId) : null;
    if (log != null) {
      logs.add(log);
    }
    List<Integer> fresh = new ArrayList<>(indexes.size());
    List<Integer> unchanged = new ArrayList<>();
    Map<String, Integer> firstInBatch = new HashMap<>();
    Map<Integer, Integer> repeats = new LinkedHashMap<>();
    long activity = 0;
    for (int i : indexes) {
      PendingMessage p = batch.get(i);
      String key = null;
      if (p.clientId() != null) {
        key = dedupeKey(p.sender(), p.clientId());
        Message earlier = stored.get(key);
        if (earlier != null) {
          results[i] = new AppendResult(earlier, true);
          continue;
        }
        Integer first = firstInBatch.get(key);
        if (first != null) {
          repeats.put(i, first);
          continue;
        }
      }
      if (log != null) {
        try {
          if (!log.admit(p)) {
            unchanged.add(i);
            continue;
          }
        } catch (ChatException refused) {
          results[i] = AppendResult.refused(refused);
          continue;
        }
      }
      if (key != null) {
        firstInBatch.put(key, i);
      }
      if (p.change() == null) {
        activity = Math.max(activity, p.ts());
      }
      fresh.add(i);
    }
    boolean links = false;
    long lastSeq = -1;
    if (!fresh.isEmpty()) {
      reserve.setLong(1, fresh.size());
      reserve.setLong(2, activity);
      reserve.setLong(3, activity);
      reserve.setString(4, conversationId);
      try (ResultSet rs = reserve.executeQuery()) {
        if (!rs.next()) {
          throw ChatException.notFound("unknown thread " + conversationId);
        }
        lastSeq = rs.getLong(1);
      }
      long seq = lastSeq - fresh.size() + 1;
      for (int i : fresh) {
        PendingMessage p = batch.get(i);
        Change change = p.change();
        // an edit of a message deleted later in the same batch is stored already erased
        boolean erased = change != null && change.kind() == Change.Kind.EDITED
            && log.deletedHere(change.target());
        Message m = new Message(p.id(), conversationId, seq++, p.sender(), erased ? "" : p.body(),
            p.ts(), p.clientId(), p.attachments(), p.replyTo(), null, erased, Map.of(), change);
        results[i] = new AppendResult(m, false);
        if (change != null && change.kind() == Change.Kind.EDITED && !erased) {
          log.edited(change.target(), p.body(), p.ts());
        }
        insert.setString(1, conversationId);
        insert.setLong(2, m.seq());
        insert.setString(3, m.id());
        insert.setString(4, m.sender());
        insert.setString(5, m.body());
        insert.setLong(6, m.ts());
        insert.setString(7, m.clientId());
        insert.setString(8, rows.attachmentsJson(m.attachments()));
        insert.setInt(9, change == null ? 0 : change.kind().code());
        setLongOrNull(insert, 10, change == null ? null : change.target());
        insert.setString(11, change == null ? null : change.emoji());
        setLongOrNull(insert, 12, change == null || change.kind() != Change.Kind.REACTION ? null
            : (Long) (change.on() ? 1L : 0L));
        setLongOrNull(insert, 13, m.replyTo());
        setLongOrNull(insert, 14, null);
        insert.setInt(15, erased ? 1 : 0);
        if (docs != null) {
          // a change entry is never searchable: an edit's text is indexed as its message's
          setLongOrNull(insert, 16, change == null ? (Long) docs.assign() : null);
        }
        insert.addBatch();
        for (Attachment a : m.attachments()) {
          link.setString(1, a.id());
          link.setString(2, conversationId);
          link.addBatch();
          links = true;
        }
      }
    }
    if (!unchanged.isEmpty()) {
      if (lastSeq < 0) {
        lastSeq = lastSeq(c, conversationId);
      }
      for (int i : unchanged) {
        PendingMessage p = batch.get(i);
        results[i] = AppendResult.unchanged(new Message(p.id(), conversationId, lastSeq, p.sender(),
            "", p.ts(), p.clientId(), List.of(), null, null, false, Map.of(), p.change()));
      }
    }
    for (Map.Entry<Integer, Integer> repeat : repeats.entrySet()) {
      AppendResult first = results[repeat.getValue()];
      results[repeat.getKey()] = new AppendResult(first.message(), true);
    }
    return links;
  }

  private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  /**
   * The rules of one thread's log within one batch (contract 7.2): checks each change against
   * the messages it targets, as stored and as changed earlier in the batch, in the contract's
   * order of errors, and after the entries are inserted writes the messages' new state (body
   * and editedAt, erasure, reactions).
   */
  private final class ThreadLog {
    private final Connection c;
    private final String conversationId;
    private final boolean group;
    private final String creator;
    private final Map<Long, Target> targets = new HashMap<>();
    private final Map<String, Set<String>> reactionsByTargetAndUser = new HashMap<>();
    /** (target, user, emoji) to the last state asked for in this batch, and when. */
    private final Map<List<Object>, long[]> reactionWrites = new LinkedHashMap<>();
    private final Map<Long, Object[]> lastEdit = new LinkedHashMap<>();
    private final Set<Long> deleted = new LinkedHashSet<>();

    ThreadLog(Connection c, String conversationId) throws SQLException {
      this.c = c;
      this.conversationId = conversationId;
      String[] kindAndCreator = Sql.first(c, "SELECT kind, creator FROM threads WHERE id = ?",
              rs -> new String[] {rs.getString(1), rs.getString(2)}, conversationId)
          .orElseThrow(() -> ChatException.notFound("unknown thread " + conversationId));
      group = ChatThread.GROUP.equals(kindAndCreator[0]);
      creator = kindAndCreator[1];
    }

    /** The group's creator and its admins (contract 7.4) may delete anyone's message. */
    private boolean moderates(String userId) throws SQLException {
      if (creator.equals(userId)) {
        return true;
      }
      return Sql.exists(c, "SELECT 1 FROM members WHERE thread_id = ? AND user_id = ? AND admin = ?",
          conversationId, userId, true);
    }

    /** True when the entry is to be stored, false for a reaction that changes nothing. */
    boolean admit(PendingMessage p) throws SQLException {
      Change change = p.change();
      if (change == null) {
        if (p.replyTo() != null) {
          Target t = target(p.replyTo());
          if (t == null || t.kind != 0) {
            throw ChatException.notFound("replyTo " + p.replyTo() + " is not a message of the thread");
          }
        }
        return true;
      }
      long seq = change.target();
      Target t = target(seq);
      if (t == null || t.kind != 0) {
        throw ChatException.notFound("target " + seq + " is not a message of the thread");
      }
      if (t.deleted) {
        throw new ChatException(ErrorCode.CONFLICT, "message " + seq + " was deleted");
      }
      switch (change.kind()) {
        case EDITED:
          if (!t.sender.equals(p.sender())) {
            throw ChatException.forbidden("only the message's sender may edit it");
          }
          if (p.body().isEmpty() && !t.hasAttachments) {
            throw ChatException.badRequest("body must not be empty");
          }
          return true;
        case DELETED:
          if (!t.sender.equals(p.sender()) && !(group && moderates(p.sender()))) {
            throw ChatException.forbidden("only the message's sender or the group's creator or an admin may delete it");
          }
          t.deleted = true;
          deleted.add(seq);
          return true;
        case REACTION:
        default:
          String problem = LogRules.emojiProblem(change.emoji());
          if (problem != null) {
            throw ChatException.badRequest(problem);
          }
          Set<String> mine = reactions(seq, p.sender());
          if (change.on()) {
            if (mine.contains(change.emoji())) {
              return false;
            }
            if (mine.size() >= LogRules.MAX_REACTIONS) {
              throw ChatException.badRequest(
                  "at most " + LogRules.MAX_REACTIONS + " distinct emoji per user per message");
            }
            mine.add(change.emoji());
          } else if (!mine.remove(change.emoji())) {
            return false;
          }
          reactionWrites.put(List.of(seq, p.sender(), change.emoji()),
              new long[] {change.on() ? 1 : 0, p.ts()});
          return true;
      }
    }

    boolean deletedHere(long seq) {
      return deleted.contains(seq);
    }

    void edited(long seq, String body, long ts) {
      lastEdit.put(seq, new Object[] {body, ts});
    }

    /** Writes the messages' new state; runs after the batch's entries are inserted. */
    void apply() throws SQLException {
      if (!lastEdit.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE messages SET body = ?, edited_at = ? WHERE thread_id = ? AND seq = ?")) {
          for (Map.Entry<Long, Object[]> e : lastEdit.entrySet()) {
            searchIndex.remove(c, conversationId, e.getKey()); // reads the text it indexed: before the update
            ps.setString(1, (String) e.getValue()[0]);
            ps.setLong(2, (Long) e.getValue()[1]);
            ps.setString(3, conversationId);
            ps.setLong(4, e.getKey());
            ps.addBatch();
          }
          ps.executeBatch();
          for (Map.Entry<Long, Object[]> e : lastEdit.entrySet()) {
            if (!deleted.contains(e.getKey())) {
              searchIndex.put(c, conversationId, e.getKey(), (String) e.getValue()[0]);
            }
          }
        }
      }
      for (long seq : deleted) {
        if (!lastEdit.containsKey(seq)) {
          searchIndex.remove(c, conversationId, seq); // an edited one was taken out above
        }
        erase(seq);
      }
      if (!reactionWrites.isEmpty()) {
        try (PreparedStatement on = c.prepareStatement(
                "INSERT INTO reactions (thread_id, target, user_id, emoji, created_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement off = c.prepareStatement(
                 "DELETE FROM reactions WHERE thread_id = ? AND target = ? AND user_id = ? AND emoji = ?")) {
          boolean ons = false;
          boolean offs = false;
          for (Map.Entry<List<Object>, long[]> e : reactionWrites.entrySet()) {
            long seq = (Long) e.getKey().get(0);
            if (deleted.contains(seq)) {
              continue;
            }
            PreparedStatement ps = e.getValue()[0] == 1 ? on : off;
            ps.setString(1, conversationId);
            ps.setLong(2, seq);
            ps.setString(3, (String) e.getKey().get(1));
            ps.setString(4, (String) e.getKey().get(2));
            if (ps == on) {
              ps.setLong(5, e.getValue()[1]);
              ons = true;
            } else {
              offs = true;
            }
            ps.addBatch();
          }
          if (ons) {
            on.executeBatch();
          }
          if (offs) {
            off.executeBatch();
          }
        }
      }
    }

    /**
     * Deleting erases: the message's body, attachments and reply link, the bodies of its edits,
     * its reactions, and the thread's link to each attachment no other message of it still shows.
     */
    private void erase(long seq) throws SQLException {
      Sql.update(c, "UPDATE messages SET body = '', attachments = NULL, reply_to = NULL,"
          + " edited_at = NULL, deleted = 1 WHERE thread_id = ? AND seq = ?", conversationId, seq);
      Sql.update(c, "UPDATE messages SET body = '', deleted = 1 WHERE thread_id = ? AND target = ?"
          + " AND kind = " + Change.Kind.EDITED.code(), conversationId, seq);
      Sql.update(c, "DELETE FROM reactions WHERE thread_id = ? AND target = ?", conversationId, seq);
      List<Attachment> attachments = targets.get(seq).attachments;
      if (!attachments.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM message_attachments WHERE attachment_id = ? AND thread_id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM messages WHERE thread_id = ? AND kind = 0"
                + " AND deleted = 0 AND attachments LIKE ? ESCAPE '!')")) {
          for (Attachment a : attachments) {
            ps.setString(1, a.id());
            ps.setString(2, conversationId);
            ps.setString(3, conversationId);
            ps.setString(4, "%\"id\":\"" + escapeLike(a.id()) + "\"%");
            ps.addBatch();
          }
          ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE attachments SET released_at = ? WHERE id = ? AND released_at IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE attachment_id = ?)")) {
          for (Attachment a : attachments) {
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, a.id());
            ps.setString(3, a.id());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
    }

    private Target target(long seq) throws SQLException {
      if (targets.containsKey(seq)) {
        return targets.get(seq);
      }
      Target t = Sql.first(c, "SELECT sender, kind, deleted, attachments FROM messages"
              + " WHERE thread_id = ? AND seq = ?",
          rs -> new Target(rs.getString(1), rs.getInt(2), rs.getInt(3) != 0,
              rows.attachments(rs.getString(4))),
          conversationId, seq).orElse(null);
      targets.put(seq, t);
      return t;
    }

    private Set<String> reactions(long seq, String userId) throws SQLException {
      String key = seq + "\n" + userId;
      Set<String> mine = reactionsByTargetAndUser.get(key);
      if (mine == null) {
        mine = new LinkedHashSet<>(Sql.list(c,
            "SELECT emoji FROM reactions WHERE thread_id = ? AND target = ? AND user_id = ?",
            STRING, conversationId, seq, userId));
        reactionsByTargetAndUser.put(key, mine);
      }
      return mine;
    }
  }

  /** What the log rules need to know of a targeted entry. */
  private static final class Target {
    final String sender;
    final int kind;
    boolean deleted;
    final boolean hasAttachments;
    final List<Attachment> attachments;

    Target(String sender, int kind, boolean deleted, List<Attachment> attachments) {
      this.sender = sender;
      this.kind = kind;
      this.deleted = deleted;
      this.attachments = attachments;
      this.hasAttachments = !attachments.isEmpty();
    }
  }


  /**
   * The messages of a thread already stored under the given (sender, clientId) pairs. One query
   * per sender, with equality on thread and sender and an {@code IN} list of clientIds, so that
   * every lookup is a point lookup on {@code messages_client} (forced on SQLite, whose planner
   * without statistics walks the thread's whole primary key instead, which made every commit
   * slower as the thread's history grew).
   */
  private Map<String, Message> storedByClientId(Connection c, String conversationId,
                                                Map<String, Set<String>> clientIdsBySender)
      throws SQLException {
    Map<String, Message> out = new HashMap<>();
    for (Map.Entry<String, Set<String>> entry : clientIdsBySender.entrySet()) {
      List<String> clientIds = new ArrayList<>(entry.getValue());
      for (Message m : Sql.inChunks(clientIds, IN_CHUNK, chunk -> Sql.list(c,
          clientIdLookupSql(dialect, chunk.size()), this::message,
          Sql.params(chunk, conversationId, entry.getKey())))) {
        out.put(dedupeKey(m.sender(), m.clientId()), m);
      }
    }
    return out;
  }

  /** The statement {@link #storedByClientId} runs for {@code n} clientIds of one sender. */
  static String clientIdLookupSql(Dialect dialect, int n) {
    return "SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages" + dialect.clientIndexHint()
        + " WHERE thread_id = ? AND sender = ?"
        + " AND client_id IN (" + Sql.marks(n) + ")";
  }

  @Override
  public MessagePage history(String conversationId, Long before, Long after, int limit) {
    if (limit < 1) {
      throw ChatException.badRequest("limit must be at least 1");
    }
    // messages only (never change entries), in their current state
    StringBuilder sql = new StringBuilder("SELECT ").append(Rows.MESSAGE_COLUMNS)
        .append(" FROM messages WHERE thread_id = ? AND kind = 0");
    List<Object> params = new ArrayList<>(4);
    params.add(conversationId);
    if (before != null) {
      sql.append(" AND seq < ?");
      params.add(before);
    }
    if (after != null) {
      sql.append(" AND seq > ?");
      params.add(after);
    }
    params.add(limit + 1);
    // after alone pages forward from its start; otherwise the page ends at the upper bound
    boolean ascending = after != null && before == null;
    sql.append(ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
    return run("history", c -> {
      List<Message> messages = Sql.list(c, sql.toString(), this::message, params.toArray());
      boolean hasMore = messages.size() > limit;
      if (hasMore) {
        messages.remove(messages.size() - 1);
      }
      if (!ascending) {
        Collections.reverse(messages);
      }
      return new MessagePage(withReactions(c, conversationId, messages), hasMore);
    });
  }

  /** The messages with their current reactions ({@code emoji -> [userId…]}, oldest first). */
  private List<Message> withReactions(Connection c, String conversationId, List<Message> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return List.of();
    }
    Map<Long, Map<String, List<String>>> bySeq = new HashMap<>();
    Sql.each(c, "SELECT target, emoji, user_id FROM reactions WHERE thread_id = ? AND target >= ?"
            + " AND target <= ? ORDER BY target, created_at, emoji, user_id",
        rs -> bySeq.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3)),
        conversationId, messages.get(0).seq(), messages.get(messages.size() - 1).seq());
    if (bySeq.isEmpty()) {
      return List.copyOf(messages);
    }
    List<Message> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Map<String, List<String>> reactions = bySeq.get(m.seq());
      out.add(reactions == null || m.deleted() ? m : m.withReactions(reactions));
    }
    return out;
  }

  private static String prefixed(String prefix, String columns) {
    StringBuilder out = new StringBuilder();
    for (String column : columns.split(",")) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(prefix).append(column.trim());
    }
    return out.toString();
  }

  @Override
  public List<Message> messagesAfter(String conversationId, long afterSeq, int limit) {
    if (limit < 1) {
      return List.of();
    }
    return List.copyOf(list("messagesAfter", "SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
        + " WHERE thread_id = ? AND seq > ? ORDER BY seq LIMIT ?", this::message,
        conversationId, afterSeq, limit));
  }

  // ---- read positions ----------------------------------------------------------------------

  /**
   * {@inheritDoc} The position is capped at the thread's last seq, so that a position sent ahead
   * of the thread cannot hide messages not yet written. Throws {@code forbidden} for a non-member.
   */
  @Override
  public long markRead(String conversationId, String userId, long seq) {
    return run("markRead", c -> {
      long target = Math.min(seq, lastSeq(c, conversationId));
      return Sql.first(c, "UPDATE members SET read_seq = CASE WHEN read_seq >= ? THEN read_seq"
              + " ELSE ? END WHERE thread_id = ? AND user_id = ? RETURNING read_seq",
              rs -> rs.getLong(1), target, target, conversationId, userId)
          .orElseThrow(() -> ChatException.forbidden("not a member of the thread"));
    });
  }

  @Override
  public Map<String, Long> readPositions(String conversationId) {
    Map<String, Long> out = new HashMap<>();
    run("readPositions", c -> {
      Sql.each(c, "SELECT user_id, read_seq FROM members WHERE thread_id = ? AND read_seq > 0",
          rs -> out.put(rs.getString(1), rs.getLong(2)), conversationId);
      return out;
    });
    return out;
  }

  // ---- attachments -------------------------------------------------------------------------

  /**
   * Attachment bytes in this store's database, sharing its pool: with PostgreSQL, every node of a
   * cluster reads what any node wrote. Closing the store ends it too.
   */
  public JdbcBlobStore blobStore() {
    return new JdbcBlobStore(dataSource, () -> closed, JdbcBlobStore.CHUNK_SIZE);
  }

  /** True when this store's database is PostgreSQL (shared by the nodes of a cluster). */
  public boolean isPostgres() {
    return dialect == Dialect.POSTGRESQL;
  }

  @Override
  public void saveAttachment(AttachmentRecord record) {
    Attachment a = record.attachment();
    run("saveAttachment", c -> {
      try {
        return Sql.update(c, "INSERT INTO attachments (id, uploader, content_type, size, filename,"
                + " storage_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            a.id(), record.uploaderId(), a.contentType(), a.size(), a.filename(),
            record.storageKey(), record.createdAt());
      } catch (SQLException e) {
        throw orChatException(e, dialect.isUniqueViolation(e),
            ChatException.conflict("attachment " + a.id() + " exists"));
      }
    });
  }

  @Override
  public Optional<AttachmentRecord> findAttachment(String attachmentId) {
    return first("findAttachment",
        "SELECT " + ATTACHMENT_COLUMNS + " FROM attachments WHERE id = ?", JdbcChatStore::attachment,
        attachmentId);
  }

  @Override
  public boolean attachmentPostedToMemberOf(String attachmentId, String userId) {
    return run("attachmentPostedToMemberOf", c -> Sql.exists(c,
        "SELECT 1 FROM message_attachments ma JOIN members m ON m.thread_id = ma.thread_id"
            + " WHERE ma.attachment_id = ? AND m.user_id = ? LIMIT 1", attachmentId, userId));
  }
  @Override
  public List<AttachmentRecord> removableAttachments(long uploadedBefore, int limit) {
    return list("removableAttachments", "SELECT " + ATTACHMENT_COLUMNS + " FROM attachments a"
            + " WHERE (a.released_at IS NOT NULL OR a.created_at < ?)"
            + " AND NOT EXISTS (SELECT 1 FROM message_attachments l WHERE l.attachment_id = a.id)"
            + " ORDER BY a.created_at LIMIT ?", JdbcChatStore::attachment, uploadedBefore, limit);
  }

  @Override
  public boolean deleteAttachment(String attachmentId) {
    return update("deleteAttachment", "DELETE FROM attachments WHERE id = ? AND NOT EXISTS"
        + " (SELECT 1 FROM message_attachments WHERE attachment_id = ?)", attachmentId, attachmentId) > 0;
  }


  // ---- notifications -----------------------------------------------------------------------

  @Override
  public VapidKeys keepVapidKeys(VapidKeys candidate) {
    return run("keepVapidKeys", c -> {
      Sql.update(c, "INSERT INTO vapid_keys (id, public_key, private_key) VALUES (1, ?, ?)"
          + " ON CONFLICT (id) DO NOTHING", candidate.publicKey(), candidate.privateKey());
      return Sql.first(c, "SELECT public_key, private_key FROM vapid_keys WHERE id = 1",
              rs -> new VapidKeys(rs.getString(1), rs.getString(2)))
          .orElseThrow(() -> new SQLException("vapid_keys has no row after the insert"));
    });
  }

  @Override
  public void addPushSubscription(PushSubscriptionRecord r, int maxPerUser) {
    transaction("addPushSubscription", c -> {
      // the user's row first: two subscribes of one user queue here instead of both taking ord N
      if (Sql.update(c, "UPDATE users SET id = id WHERE id = ?", r.userId()) == 0) {
        throw ChatException.unauthorized("unknown user");
      }
      Sql.update(c, "DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?",
          r.userId(), r.endpoint());
      Sql.update(c, "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth,"
              + " created_at, ord) VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(ord), 0) + 1"
              + " FROM push_subscriptions WHERE user_id = ?))",
          r.id(), r.userId(), r.endpoint(), r.p256dh(), r.auth(), r.createdAt(), r.userId());
      return Sql.update(c, "DELETE FROM push_subscriptions WHERE user_id = ? AND id NOT IN"
              + " (SELECT id FROM push_subscriptions WHERE user_id = ? ORDER BY ord DESC LIMIT ?)",
          r.userId(), r.userId(), maxPerUser);
    });
  }

  @Override
  public boolean deletePushSubscription(String userId, String subscriptionId) {
    return update("deletePushSubscription",
        "DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?", subscriptionId, userId) > 0;
  }

  @Override
  public void deletePushSubscription(String subscriptionId) {
    update("deletePushSubscription", "DELETE FROM push_subscriptions WHERE id = ?", subscriptionId);
  }

  @Override
  public List<PushSubscriptionRecord> pushSubscriptions(Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(userIds);
    return run("pushSubscriptions", c -> Sql.inChunks(ids, IN_CHUNK, chunk -> Sql.list(c,
        "SELECT id, user_id, endpoint, p256dh, auth, created_at FROM push_subscriptions"
            + " WHERE user_id IN (" + Sql.marks(chunk.size()) + ") ORDER BY user_id, ord",
        rs -> new PushSubscriptionRecord(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getLong(6)),
        chunk.toArray())));
  }

  @Override
  public void registerWebhookReceiver(String receiver, long now) {
    transaction("registerWebhookReceiver", c -> {
      int inserted = Sql.update(c, "INSERT INTO webhook_receivers (receiver, created_at, holder,"
          + " lease_until) VALUES (?, ?, NULL, 0) ON CONFLICT (receiver) DO NOTHING", receiver, now);
      if (inserted > 0) {
        Sql.update(c, "INSERT INTO webhook_cursors (receiver, thread_id, seq)"
            + " SELECT ?, id, last_seq FROM threads WHERE last_seq > 0"
            + " ON CONFLICT (receiver, thread_id) DO NOTHING", receiver);
      }
      return inserted;
    });
  }

  @Override
  public boolean leaseWebhookReceiver(String receiver, String holder, long now, long until) {
    return update("leaseWebhookReceiver", "UPDATE webhook_receivers SET holder = ?, lease_until = ?"
            + " WHERE receiver = ? AND (holder = ? OR holder IS NULL OR lease_until < ?)",
        holder, until, receiver, holder, now) > 0;
  }

  @Override
  public void releaseWebhookReceiver(String receiver, String holder) {
    update("releaseWebhookReceiver", "UPDATE webhook_receivers SET holder = NULL, lease_until = 0"
        + " WHERE receiver = ? AND holder = ?", receiver, holder);
  }

  @Override
  public List<WebhookBacklog> webhookBacklog(String receiver, int limit) {
    return list("webhookBacklog", "SELECT t.id, COALESCE(w.seq, 0), t.last_seq FROM threads t"
            + " LEFT JOIN webhook_cursors w ON w.thread_id = t.id AND w.receiver = ?"
            + " WHERE t.last_seq > COALESCE(w.seq, 0) ORDER BY t.last_activity LIMIT ?",
        rs -> new WebhookBacklog(rs.getString(1), rs.getLong(2), rs.getLong(3)), receiver, limit);
  }

  @Override
  public long webhookQueueLength(String receiver) {
    return run("webhookQueueLength", c -> Sql.longValue(c,
        "SELECT COALESCE(SUM(t.last_seq - COALESCE(w.seq, 0)), 0) FROM threads t"
            + " LEFT JOIN webhook_cursors w ON w.thread_id = t.id AND w.receiver = ?"
            + " WHERE t.last_seq > COALESCE(w.seq, 0)", 0L, receiver));
  }

  @Override
  public void advanceWebhookCursor(String receiver, String conversationId, long seq) {
    update("advanceWebhookCursor", "INSERT INTO webhook_cursors (receiver, thread_id, seq)"
            + " VALUES (?, ?, ?) ON CONFLICT (receiver, thread_id) DO UPDATE SET seq = CASE"
            + " WHEN webhook_cursors.seq > excluded.seq THEN webhook_cursors.seq"
            + " ELSE excluded.seq END", receiver, conversationId, seq);
  }

  // ---- blocking, muting, group roles (contract 7.4) -------------------------------------

  @Override
  public boolean block(String blockerId, String blockedId, long now) {
    return insertReferencing("block", () -> ChatException.notFound("unknown user"),
        "INSERT INTO blocks (blocker, blocked, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        blockerId, blockedId, now) > 0;
  }

  @Override
  public boolean unblock(String blockerId, String blockedId) {
    return update("unblock", "DELETE FROM blocks WHERE blocker = ? AND blocked = ?",
        blockerId, blockedId) > 0;
  }

  @Override
  public List<User> blockedUsers(String blockerId) {
    return list("blockedUsers", "SELECT " + Rows.userColumns("u") + " FROM blocks b"
            + " JOIN users u ON u.id = b.blocked WHERE b.blocker = ? ORDER BY b.created_at, b.blocked",
        USER, blockerId);
  }

  @Override
  public int blockCount(String blockerId) {
    long count = run("blockCount", c -> Sql.longValue(c,
        "SELECT COUNT(*) FROM blocks WHERE blocker = ?", 0L, blockerId));
    return (int) count;
  }

  @Override
  public boolean isBlocking(String blockerId, String blockedId) {
    return !blockersAmong(blockedId, List.of(blockerId)).isEmpty();
  }

  @Override
  public Set<String> blockersAmong(String blockedId, Collection<String> candidates) {
    if (candidates.isEmpty()) {
      return Set.of();
    }
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(candidates));
    return new LinkedHashSet<>(run("blockersAmong", c -> Sql.inChunks(distinct, IN_CHUNK,
        chunk -> Sql.list(c, "SELECT blocker FROM blocks WHERE blocked = ? AND blocker IN ("
            + Sql.marks(chunk.size()) + ")", STRING, Sql.params(chunk, blockedId)))));
  }

  @Override
  public Map<String, Set<String>> blockersByBlocked() {
    Map<String, Set<String>> out = new HashMap<>();
    run("blockersByBlocked", c -> {
      Sql.each(c, "SELECT blocked, blocker FROM blocks",
          rs -> out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2)));
      return out;
    });
    return out;
  }

  @Override
  public boolean setMuted(String conversationId, String userId, boolean muted) {
    return setMemberFlag("setMuted", "muted", conversationId, userId, muted);
  }

  @Override
  public Set<String> mutedConversationIdsOf(String userId) {
    return new HashSet<>(list("mutedConversationIdsOf",
        "SELECT thread_id FROM members WHERE user_id = ? AND muted = TRUE", STRING, userId));
  }

  @Override
  public boolean isMuted(String conversationId, String userId) {
    return run("isMuted", c -> Sql.exists(c,
        "SELECT 1 FROM members WHERE thread_id = ? AND user_id = ? AND muted = TRUE",
        conversationId, userId));
  }

  @Override
  public List<String> mutedBy(String conversationId) {
    return list("mutedBy", "SELECT user_id FROM members WHERE thread_id = ? AND muted = TRUE",
        STRING, conversationId);
  }

  @Override
  public boolean setAdmin(String conversationId, String userId, boolean admin) {
    return setMemberFlag("setAdmin", "admin", conversationId, userId, admin);
  }

  @Override
  public Map<String, List<String>> adminsOfConversationsOf(String userId) {
    Map<String, List<String>> out = new HashMap<>();
    run("adminsOfConversationsOf", c -> {
      Sql.each(c, "SELECT a.thread_id, a.user_id FROM members m"
              + " JOIN members a ON a.thread_id = m.thread_id WHERE m.user_id = ? AND a.admin = TRUE"
              + " ORDER BY a.thread_id, a.joined_at, a.user_id",
          rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)),
          userId);
      return out;
    });
    return out;
  }

  @Override
  public boolean renameThread(String conversationId, String title) {
    return update("renameThread", "UPDATE threads SET title = ? WHERE id = ?", title,
        conversationId) > 0;
  }

  private boolean setMemberFlag(String what, String column, String conversationId, String userId,
                                boolean value) {
    return update(what, "UPDATE members SET " + column + " = ? WHERE thread_id = ? AND user_id = ?",
        value, conversationId, userId) > 0;
  }

  private static List<String> admins(Connection c, String conversationId) throws SQLException {
    return Sql.list(c, "SELECT user_id FROM members WHERE thread_id = ? AND admin = TRUE"
        + " ORDER BY joined_at, user_id", STRING, conversationId);
  }

  // ---- search (contract 7.3) --------------------------------------------------------------

  private void catchUpSearchIndex() {
    try {
      transaction("searchCatchUp", searchIndex::catchUp);
    } catch (RuntimeException e) {
      searchIndex.catchUpFailed();
      throw e;
    }
  }

  @Override
  public List<Message> searchMessages(String userId, List<String> words, String conversationId,
                                      Long beforeTs, String beforeId, int limit) {
    if (words.isEmpty() || limit < 1) {
      return List.of();
    }
    boolean sqlite = dialect == Dialect.SQLITE;
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String col : Rows.MESSAGE_COLUMNS.split(", ")) {
      sql.append(sql.length() > 7 ? ", m." : "m.").append(col);
    }
    String thread;
    if (sqlite) {
      sql.append(" FROM search_fts f JOIN messages m ON m.doc_id = f.rowid");
      thread = "m.thread_id";
    } else {
      sql.append(" FROM message_search s")
          .append(" JOIN messages m ON m.thread_id = s.thread_id AND m.seq = s.seq");
      thread = "s.thread_id";
    }
    sql.append(" JOIN members mb ON mb.thread_id = ").append(thread).append(" AND mb.user_id = ?")
        .append(sqlite ? " WHERE search_fts MATCH ?" : " WHERE s.words @@ to_tsquery('simple', ?)");
    if (conversationId != null) {
      sql.append(" AND ").append(thread).append(" = ?");
    }
    if (beforeTs != null) {
      sql.append(" AND (m.ts < ? OR (m.ts = ? AND m.id < ?))");
    }
    sql.append(" ORDER BY m.ts DESC, m.id DESC LIMIT ?");
    List<Object> params = new ArrayList<>(List.of(userId, sqlite ? ftsMatch(words) : tsQuery(words)));
    if (conversationId != null) {
      params.add(conversationId);
    }
    if (beforeTs != null) {
      params.addAll(List.of(beforeTs, beforeTs, beforeId));
    }
    params.add(limit);
    if (sqlite) {
      if (searchIndex.behind()) {
        catchUpSearchIndex(); // every message stored before this search is found by it
      }
      return List.copyOf(list("searchMessages", sql.toString(), this::message, params.toArray()));
    }
    // After five runs the driver prepares the statement on the server, and PostgreSQL then keeps
    // a generic plan that cannot see how rare the words are: a search without a match took 430 ms
    // instead of 15 ms over a million messages (BENCHMARKS.md, Search). Plan each search anew.
    return transaction("searchMessages", c -> {
      Sql.update(c, "SET LOCAL plan_cache_mode = force_custom_plan");
      return List.copyOf(Sql.list(c, sql.toString(), this::message, params.toArray()));
    });
  }

  /**
   * An FTS5 query that means only "every word, the last one also as a prefix": each word is a
   * quoted string (words are letters and digits, so there is no quote to escape), which makes
   * {@code NEAR}, {@code OR}, {@code *} and parentheses plain text.
   */
  static String ftsMatch(List<String> words) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      q.append(i == 0 ? "" : " ").append('"').append(words.get(i).replace("\"", "\"\"")).append('"');
    }
    return q.append('*').toString();
  }

  /** The same for PostgreSQL's {@code to_tsquery}: quoted lexemes joined by {@code &}. */
  static String tsQuery(List<String> words) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      q.append(i == 0 ? "" : " & ").append('\'').append(words.get(i).replace("'", "''")).append('\'');
    }
    return q.append(":*").toString();
  }

  private static List<Message> freshMessages(AppendResult[] results) {
    List<Message> out = new ArrayList<>(results.length);
    Set<String> seen = new HashSet<>();
    for (AppendResult r : results) {
      // change entries are never searchable: an edit's text is indexed as its message's
      if (r.delivers() && r.message().change() == null && seen.add(r.message().id())) {
        out.add(r.message());
      }
    }
    return out;
  }

  // ---- health ------------------------------------------------------------------------------

  @Override
  public boolean isHealthy() {
    if (closed) {
      return false;
    }
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.setQueryTimeout(2);
      try (ResultSet rs = st.executeQuery("SELECT 1")) {
        return rs.next();
      }
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (checkpointer != null) {
      checkpointer.close();
    }
    statementCache.clear(); // a host's pool keeps its connections: not the store's statements
    handshakeReads.clear();
    if (ownPool != null) {
      ownPool.close();
    }
  }

  /** The pool (for tests in this package). */
  DataSource dataSource() {
    return dataSource;
  }

  /** The background WAL checkpointer of a SQLite file store, or null. */
  SqliteCheckpointer checkpointer() {
    return checkpointer;
  }

  @Override
  public String toString() {
    return "JdbcChatStore[" + safeUrl + "]";
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Work on one pooled connection that may throw SQLException. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs work in auto-commit mode; SQL failures become {@code unavailable}. */
  private <T> T run(String what, SqlWork<T> work) {
    if (closed) {
      throw unavailable(what, new SQLException("the store is closed"));
    }
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  /** Runs work in one transaction, rolled back on any failure. */
  private <T> T transaction(String what, SqlWork<T> work) {
    return run(what, c -> {
      try {
        c.setAutoCommit(false);
      } catch (SQLException e) {
        // sqlite-jdbc marks the connection as in a transaction before its BEGIN, so a BEGIN that
        // failed (SQLITE_BUSY after the busy timeout) leaves it claiming one that does not exist:
        // its next user's statements would each commit on their own. Never hand it out again.
        discard(c, e);
        throw e;
      }
      T result;
      try {
        result = work.run(c);
      } catch (SQLException | RuntimeException e) {
        statementCache.forget(c); // a failure may have left a kept statement mid-way
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
      commit(c);
      return result;
    });
  }

  /**
   * Commits by going back to auto-commit, which is what the pool would do next anyway. sqlite-jdbc's
   * {@code commit()} runs COMMIT and then opens the next transaction at once (a BEGIN IMMEDIATE,
   * which takes the write lock), and the pool's reset on close then runs a second COMMIT to end
   * that empty one: two statements and two lock round trips per transaction for nothing
   * (BENCHMARKS.md, "Session 20"). A COMMIT that fails (an I/O error, a full disk) leaves the
   * driver claiming auto-commit over a transaction still open, so that connection is never
   * handed out again; closing it rolls the transaction back.
   */
  private void commit(Connection c) throws SQLException {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      statementCache.forget(c);
      discard(c, e);
      throw e;
    }
  }

  /** Keeps a broken connection from being handed out again, by this store's pool or the host's. */
  private void discard(Connection c, SQLException cause) {
    if (ownPool != null) {
      ownPool.evictConnection(c);
      return;
    }
    try {
      c.abort(Runnable::run);
    } catch (SQLException | RuntimeException abortFailure) {
      cause.addSuppressed(abortFailure);
    }
  }

  /** The driver's text stays in the exception, for the log; clients never see it (WireErrors). */
  private static StoreUnavailableException unavailable(String what, SQLException e) {
    return new StoreUnavailableException("store unavailable (" + what + "): " + e.getMessage(), e);
  }

  /** Inserts a thread row; false when its direct key is taken. */
  private boolean insertThread(Connection c, String id, String kind, String title, String creator,
                               String directKey, long now) throws SQLException {
    return Sql.update(c, "INSERT INTO threads (id, kind, title, creator, direct_key, created_at,"
            + " last_seq, last_activity) VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
        id, kind, title, creator, directKey, now, now) > 0;
  }

  private void insertMembers(Connection c, String conversationId, Collection<String> userIds, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO members (thread_id, user_id, joined_at) VALUES (?, ?, ?)")) {
      for (String userId : userIds) {
        ps.setString(1, conversationId);
        ps.setString(2, userId);
        ps.setLong(3, now);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      if (dialect.isForeignKeyViolation(e)) {
        throw ChatException.notFound("unknown user");
      }
      throw e;
    }
  }

  private Optional<ChatThread> findDirect(Connection c, String directKey) throws SQLException {
    Optional<String> id = Sql.first(c, "SELECT id FROM threads WHERE direct_key = ?", STRING,
        directKey);
    return id.isPresent() ? loadThread(c, id.get()) : Optional.empty();
  }

  private Optional<ChatThread> loadThread(Connection c, String conversationId) throws SQLException {
    List<User> members = Sql.list(c, "SELECT " + Rows.userColumns("u") + " FROM members m"
        + " JOIN users u ON u.id = m.user_id WHERE m.thread_id = ? ORDER BY m.joined_at, m.user_id",
        USER, conversationId);
    Optional<ChatThread> thread = Sql.first(c,
        "SELECT " + THREAD_COLUMNS + " FROM threads WHERE id = ?", rs -> thread(rs, members),
        conversationId);
    if (thread.isEmpty() || thread.get().isDirect()) {
      return thread;
    }
    return Optional.of(thread.get().withAdmins(admins(c, conversationId)));
  }

  /** An attachment from {@link #ATTACHMENT_COLUMNS}. */
  private static AttachmentRecord attachment(ResultSet rs) throws SQLException {
    return new AttachmentRecord(new Attachment(rs.getString(1), rs.getString(2), rs.getLong(3),
        rs.getString(4)), rs.getString(5), rs.getString(6), rs.getLong(7));
  }

  /** A message from {@link Rows#MESSAGE_COLUMNS}. */
  private Message message(ResultSet rs) throws SQLException {
    return rows.message(rs, 1);
  }

  /** A thread from {@link #THREAD_COLUMNS} at columns 1 to 6. */
  private static ChatThread thread(ResultSet rs, List<User> members) throws SQLException {
    return new ChatThread(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        members, rs.getLong(5), rs.getLong(6));
  }

  private static long lastSeq(Connection c, String conversationId) throws SQLException {
    return Sql.longValue(c, "SELECT last_seq FROM threads WHERE id = ?", 0L, conversationId);
  }

  /** An update in auto-commit mode; the number of rows it changed. */
  private int update(String what, String sql, Object... params) {
    return run(what, c -> Sql.update(c, sql, params));
  }

  private <T> List<T> list(String what, String sql, Sql.RowReader<T> reader, Object... params) {
    return run(what, c -> Sql.list(c, sql, reader, params));
  }

  private <T> Optional<T> first(String what, String sql, Sql.RowReader<T> reader,
                                Object... params) {
    return run(what, c -> Sql.first(c, sql, reader, params));
  }

  /** {@link #list} with the statement kept compiled on the connection ({@code sql} is fixed). */
  private <T> List<T> listKept(String what, String sql, Sql.RowReader<T> reader, Object... params) {
    return run(what, c -> withKept(c, sql, ps -> Sql.list(ps, reader, params)));
  }

  /** {@link #first} with the statement kept compiled on the connection ({@code sql} is fixed). */
  private <T> Optional<T> firstKept(String what, String sql, Sql.RowReader<T> reader,
                                    Object... params) {
    return run(what, c -> withKept(c, sql, ps -> Sql.first(ps, reader, params)));
  }

  private <T> T withKept(Connection c, String sql, Sql.StatementWork<T> work) throws SQLException {
    try (StatementCache.Statements statements = handshakeReads.on(c)) {
      return work.run(statements.prepare(sql));
    } catch (SQLException | RuntimeException e) {
      handshakeReads.forget(c); // a failure may have left the kept statement mid-way
      throw e;
    }
  }

  /** An insert whose references must exist: a foreign-key violation throws {@code missing}. */
  private int insertReferencing(String what, Supplier<ChatException> missing, String sql,
                                Object... params) {
    return run(what, c -> {
      try {
        return Sql.update(c, sql, params);
      } catch (SQLException e) {
        if (dialect.isForeignKeyViolation(e)) {
          throw missing.get();
        }
        throw e;
      }
    });
  }

  /**
   * Throws {@code translated} when {@code matches} (a constraint the caller can name to the
   * client), otherwise returns {@code e} for the caller to throw.
   */
  private static SQLException orChatException(SQLException e, boolean matches,
                                              ChatException translated) {
    if (matches) {
      throw translated;
    }
    return e;
  }

  private static String dedupeKey(String sender, String clientId) {
    return sender + '\u0000' + clientId;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Escapes LIKE wildcards with {@code !} so that {@code %} and {@code _} match literally. */
  static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
