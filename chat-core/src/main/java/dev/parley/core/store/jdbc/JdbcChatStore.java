package dev.parley.core.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.StoreUnavailableException;
import dev.parley.core.store.RevokedSession;
import dev.parley.core.store.SessionRecord;
import dev.parley.core.store.TicketGrant;
import dev.parley.core.store.UserAccount;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link ChatStore} on SQLite ({@code jdbc:sqlite:<file>}) or PostgreSQL
 * ({@code jdbc:postgresql://...}), through a HikariCP pool named {@code parley-store}. {@link #open}
 * creates what is missing (the SQLite file's directory, the PostgreSQL {@code currentSchema}) and
 * applies the schema migrations. Several processes may share one PostgreSQL database: seqs stay
 * gap-free because each batch reserves them under the thread row's lock.
 */
public final class JdbcChatStore implements ChatStore {
  /** Most parameters put in one {@code IN (...)} list. */
  private static final int IN_CHUNK = 500;
  private static final String THREAD_COLUMNS = "id, kind, title, creator, created_at, last_seq";

  private final Dialect dialect;
  private final SqliteCheckpointer checkpointer;
  private final HikariDataSource dataSource;
  private final String safeUrl;
  private final Rows rows = new Rows();
  private final SearchIndex searchIndex;

  private JdbcChatStore(Dialect dialect, HikariDataSource dataSource, String safeUrl,
                        boolean sqliteFile) {
    this.dialect = dialect;
    this.searchIndex = new SearchIndex(dialect);
    this.dataSource = dataSource;
    this.safeUrl = safeUrl;
    this.checkpointer = sqliteFile ? SqliteCheckpointer.start(dataSource) : null;
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
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO users (id, username, username_lc, display_name, password_hash, disabled,"
              + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, user.id());
        ps.setString(2, username);
        ps.setString(3, lower(username));
        ps.setString(4, user.displayName());
        ps.setString(5, passwordHash);
        ps.setBoolean(6, false);
        ps.setLong(7, now);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          throw ChatException.conflict("username taken");
        }
        throw e;
      }
      return user;
    });
  }

  @Override
  public Optional<UserAccount> findAccountByUsername(String username) {
    return run("findAccountByUsername", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM users WHERE username_lc = ?")) {
        ps.setString(1, lower(username));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Rows.account(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<UserAccount> findAccount(String userId) {
    return run("findAccount", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM users WHERE id = ?")) {
        ps.setString(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Rows.account(rs)) : Optional.empty();
        }
      }
    });
  }

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
    return run("findUsers", c -> {
      List<User> out = new ArrayList<>(distinct.size());
      for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
        List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_CHUNK));
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT " + Rows.USER_COLUMNS + " FROM users WHERE id IN (" + marks(chunk.size()) + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(Rows.user(rs, 1));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<User> searchUsers(String prefix, int limit) {
    if (limit < 1) {
      return List.of();
    }
    String pattern = escapeLike(lower(prefix)) + "%";
    return run("searchUsers", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.USER_COLUMNS + " FROM users WHERE username_lc LIKE ? ESCAPE '!'"
              + " ORDER BY username_lc LIMIT ?")) {
        ps.setString(1, pattern);
        ps.setInt(2, limit);
        List<User> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.user(rs, 1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void setDisabled(String userId, boolean disabled) {
    run("setDisabled", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE users SET disabled = ? WHERE id = ?")) {
        ps.setBoolean(1, disabled);
        ps.setString(2, userId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean deleteUser(String userId) {
    // memberships go with the account (ON DELETE CASCADE); messages stay, attributed to the id
    return run("deleteUser", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
        ps.setString(1, userId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return run("updatePasswordHash", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE users SET password_hash = ? WHERE id = ?")) {
        ps.setString(1, passwordHash);
        ps.setString(2, userId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  // ---- sessions ----------------------------------------------------------------------------

  @Override
  public void createSession(String sessionId, String userId, long now) {
    run("createSession", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sessions (id, user_id, created_at, generation, rotated_at, revoked_at)"
              + " VALUES (?, ?, ?, 0, ?, NULL)")) {
        ps.setString(1, sessionId);
        ps.setString(2, userId);
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (dialect.isForeignKeyViolation(e)) {
          throw ChatException.unauthorized("unknown user");
        }
        throw e;
      }
      return null;
    });
  }

  @Override
  public Optional<SessionRecord> findSession(String sessionId) {
    return run("findSession", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, user_id, generation, rotated_at, revoked_at FROM sessions WHERE id = ?")) {
        ps.setString(1, sessionId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long revokedAt = rs.getLong(5);
          Long revoked = rs.wasNull() ? null : revokedAt;
          return Optional.of(new SessionRecord(rs.getString(1), rs.getString(2), rs.getLong(3),
              rs.getLong(4), revoked));
        }
      }
    });
  }

  @Override
  public boolean rotateSession(String sessionId, long fromGeneration, long now) {
    return run("rotateSession", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sessions SET generation = generation + 1, rotated_at = ?"
              + " WHERE id = ? AND generation = ? AND revoked_at IS NULL")) {
        ps.setLong(1, now);
        ps.setString(2, sessionId);
        ps.setLong(3, fromGeneration);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public boolean revokeSession(String sessionId, long now) {
    return run("revokeSession", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        ps.setLong(1, now);
        ps.setString(2, sessionId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<String> revokeSessionsOf(String userId, String exceptSessionId, long now) {
    return run("revokeSessionsOf", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"
              + " AND id <> ? RETURNING id")) {
        ps.setLong(1, now);
        ps.setString(2, userId);
        ps.setString(3, exceptSessionId == null ? "" : exceptSessionId);
        List<String> revoked = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            revoked.add(rs.getString(1));
          }
        }
        return revoked;
      }
    });
  }

  @Override
  public List<RevokedSession> sessionsRevokedSince(long since) {
    return run("sessionsRevokedSince", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, user_id, revoked_at FROM sessions WHERE revoked_at >= ?")) {
        ps.setLong(1, since);
        List<RevokedSession> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new RevokedSession(rs.getString(1), rs.getString(2), rs.getLong(3)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void saveTicket(String ticketHash, TicketGrant grant, long expiresAt) {
    run("saveTicket", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ws_tickets (hash, user_id, session_id, token_expires_at, expires_at)"
              + " VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, ticketHash);
        ps.setString(2, grant.userId());
        ps.setString(3, grant.sessionId());
        ps.setLong(4, grant.tokenExpiresAt());
        ps.setLong(5, expiresAt);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<TicketGrant> redeemTicket(String ticketHash, long now) {
    return run("redeemTicket", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM ws_tickets WHERE hash = ?"
              + " RETURNING user_id, session_id, token_expires_at, expires_at")) {
        ps.setString(1, ticketHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getLong(4) < now) {
            return Optional.empty();
          }
          return Optional.of(new TicketGrant(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
    });
  }

  @Override
  public int pruneSessions(long sessionsRotatedBefore, long ticketsExpiredBefore) {
    return run("pruneSessions", c -> {
      int removed;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE rotated_at < ?")) {
        ps.setLong(1, sessionsRotatedBefore);
        removed = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM ws_tickets WHERE expires_at < ?")) {
        ps.setLong(1, ticketsExpiredBefore);
        removed += ps.executeUpdate();
      }
      return removed;
    });
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
    return run("isMember", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM members WHERE thread_id = ? AND user_id = ?")) {
        ps.setString(1, conversationId);
        ps.setString(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public List<String> memberIds(String conversationId) {
    return strings("memberIds",
        "SELECT user_id FROM members WHERE thread_id = ? ORDER BY joined_at, user_id", conversationId);
  }

  @Override
  public List<String> conversationIdsOf(String userId) {
    return strings("conversationIdsOf", "SELECT thread_id FROM members WHERE user_id = ?", userId);
  }

  @Override
  public boolean addMember(String conversationId, String userId, long now) {
    return run("addMember", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO members (thread_id, user_id, joined_at) VALUES (?, ?, ?)"
              + " ON CONFLICT DO NOTHING")) {
        ps.setString(1, conversationId);
        ps.setString(2, userId);
        ps.setLong(3, now);
        return ps.executeUpdate() > 0;
      } catch (SQLException e) {
        if (dialect.isForeignKeyViolation(e)) {
          throw ChatException.notFound("unknown thread or user");
        }
        throw e;
      }
    });
  }

  @Override
  public boolean removeMember(String conversationId, String userId) {
    return run("removeMember", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM members WHERE thread_id = ? AND user_id = ?")) {
        ps.setString(1, conversationId);
        ps.setString(2, userId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<ThreadSummary> listThreads(String userId) {
    return run("listThreads", c -> {
      Map<String, List<User>> members = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT mm.thread_id, u.id, u.username, u.display_name FROM members m"
              + " JOIN members mm ON mm.thread_id = m.thread_id"
              + " JOIN users u ON u.id = mm.user_id"
              + " WHERE m.user_id = ? ORDER BY mm.thread_id, mm.joined_at, mm.user_id")) {
        ps.setString(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(Rows.user(rs, 2));
          }
        }
      }
      List<ThreadSummary> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT t.id, t.kind, t.title, t.creator, t.created_at, t.last_seq,"
              + " (SELECT COUNT(*) FROM messages x WHERE x.thread_id = t.id"
              + "   AND x.seq > m.read_seq AND x.sender <> ?),"
              + " lm.thread_id, lm.seq, lm.id, lm.sender, lm.body, lm.ts, lm.client_id,"
              + " lm.attachments"
              + " FROM members m JOIN threads t ON t.id = m.thread_id"
              + " LEFT JOIN messages lm ON lm.thread_id = t.id AND lm.seq = t.last_seq"
              + " WHERE m.user_id = ? ORDER BY t.last_activity DESC, t.id")) {
        ps.setString(1, userId);
        ps.setString(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ChatThread thread = thread(rs, members.getOrDefault(rs.getString(1), List.of()));
            Message last = rs.getString(10) == null ? null : rows.message(rs, 8);
            out.add(new ThreadSummary(thread, last, rs.getLong(7)));
          }
        }
      }
      return out;
    });
  }

  // ---- messages ----------------------------------------------------------------------------

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
    AppendResult[] results = new AppendResult[batch.size()];
    transaction("appendBatch", c -> {
      String lockSql = dialect.lockThreadSql();
      try (PreparedStatement lock = lockSql == null ? null : c.prepareStatement(lockSql);
           PreparedStatement reserve = c.prepareStatement(
               "UPDATE threads SET last_seq = last_seq + ?, last_activity = ? WHERE id = ?"
                   + " RETURNING last_seq");
           PreparedStatement insert = c.prepareStatement(
               "INSERT INTO messages (" + Rows.MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
           PreparedStatement link = c.prepareStatement(
               "INSERT INTO message_attachments (attachment_id, thread_id) VALUES (?, ?)"
                   + " ON CONFLICT DO NOTHING")) {
        boolean links = false;
        for (Map.Entry<String, List<Integer>> entry : byThread.entrySet()) {
          links |= appendToThread(c, entry.getKey(), entry.getValue(), batch, results,
              lock, reserve, insert, link);
        }
        insert.executeBatch();
        searchIndex.add(c, freshMessages(results));
        if (links) {
          link.executeBatch();
        }
      }
      return null;
    });
    return List.of(results);
  }

  /** Plans one thread's part of a batch and adds its rows to the batch statements. */
  private boolean appendToThread(Connection c, String conversationId, List<Integer> indexes,
                                 List<PendingMessage> batch, AppendResult[] results,
                                 PreparedStatement lock, PreparedStatement reserve,
                                 PreparedStatement insert, PreparedStatement link)
      throws SQLException {
    Map<String, Set<String>> clientIdsBySender = new HashMap<>();
    for (int i : indexes) {
      PendingMessage p = batch.get(i);
      if (p.clientId() != null) {
        clientIdsBySender.computeIfAbsent(p.sender(), k -> new LinkedHashSet<>()).add(p.clientId());
      }
    }
    Map<String, Message> stored = Map.of();
    if (!clientIdsBySender.isEmpty()) {
      if (lock != null) {
        // hold the thread row before looking for duplicates, so that a concurrent writer of the
        // same clientId on another node is seen once it commits
        lock.setString(1, conversationId);
        try (ResultSet rs = lock.executeQuery()) {
          if (!rs.next()) {
            throw ChatException.notFound("unknown thread " + conversationId);
          }
        }
      }
      stored = storedByClientId(c, conversationId, clientIdsBySender);
    }
    List<Integer> fresh = new ArrayList<>(indexes.size());
    Map<String, Integer> firstInBatch = new HashMap<>();
    Map<Integer, Integer> repeats = new LinkedHashMap<>();
    for (int i : indexes) {
      PendingMessage p = batch.get(i);
      if (p.clientId() != null) {
        String key = dedupeKey(p.sender(), p.clientId());
        Message earlier = stored.get(key);
        if (earlier != null) {
          results[i] = new AppendResult(earlier, true);
          continue;
        }
        Integer first = firstInBatch.putIfAbsent(key, i);
        if (first != null) {
          repeats.put(i, first);
          continue;
        }
      }
      fresh.add(i);
    }
    boolean links = false;
    if (!fresh.isEmpty()) {
      reserve.setLong(1, fresh.size());
      reserve.setLong(2, batch.get(fresh.get(fresh.size() - 1)).ts());
      reserve.setString(3, conversationId);
      long lastSeq;
      try (ResultSet rs = reserve.executeQuery()) {
        if (!rs.next()) {
          throw ChatException.notFound("unknown thread " + conversationId);
        }
        lastSeq = rs.getLong(1);
      }
      long seq = lastSeq - fresh.size() + 1;
      for (int i : fresh) {
        PendingMessage p = batch.get(i);
        Message m = new Message(p.id(), conversationId, seq++, p.sender(), p.body(), p.ts(), p.clientId(),
            p.attachments());
        results[i] = new AppendResult(m, false);
        insert.setString(1, conversationId);
        insert.setLong(2, m.seq());
        insert.setString(3, m.id());
        insert.setString(4, m.sender());
        insert.setString(5, m.body());
        insert.setLong(6, m.ts());
        insert.setString(7, m.clientId());
        insert.setString(8, rows.attachmentsJson(m.attachments()));
        insert.addBatch();
        for (Attachment a : m.attachments()) {
          link.setString(1, a.id());
          link.setString(2, conversationId);
          link.addBatch();
          links = true;
        }
      }
    }
    for (Map.Entry<Integer, Integer> repeat : repeats.entrySet()) {
      results[repeat.getKey()] = new AppendResult(results[repeat.getValue()].message(), true);
    }
    return links;
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
      for (int from = 0; from < clientIds.size(); from += IN_CHUNK) {
        List<String> chunk = clientIds.subList(from, Math.min(clientIds.size(), from + IN_CHUNK));
        try (PreparedStatement ps = c.prepareStatement(clientIdLookupSql(dialect, chunk.size()))) {
          ps.setString(1, conversationId);
          ps.setString(2, entry.getKey());
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 3, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Message m = rows.message(rs, 1);
              out.put(dedupeKey(m.sender(), m.clientId()), m);
            }
          }
        }
      }
    }
    return out;
  }

  /** The statement {@link #storedByClientId} runs for {@code n} clientIds of one sender. */
  static String clientIdLookupSql(Dialect dialect, int n) {
    return "SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages" + dialect.clientIndexHint()
        + " WHERE thread_id = ? AND sender = ?"
        + " AND client_id IN (" + marks(n) + ")";
  }

  @Override
  public MessagePage history(String conversationId, Long before, Long after, int limit) {
    if (limit < 1) {
      throw ChatException.badRequest("limit must be at least 1");
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(Rows.MESSAGE_COLUMNS)
        .append(" FROM messages WHERE thread_id = ?");
    List<Long> bounds = new ArrayList<>(2);
    if (before != null) {
      sql.append(" AND seq < ?");
      bounds.add(before);
    }
    if (after != null) {
      sql.append(" AND seq > ?");
      bounds.add(after);
    }
    // after alone pages forward from its start; otherwise the page ends at the upper bound
    boolean ascending = after != null && before == null;
    sql.append(ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
    return run("history", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        ps.setString(p++, conversationId);
        for (long bound : bounds) {
          ps.setLong(p++, bound);
        }
        ps.setInt(p, limit + 1);
        List<Message> messages = readMessages(ps);
        boolean hasMore = messages.size() > limit;
        if (hasMore) {
          messages.remove(messages.size() - 1);
        }
        if (!ascending) {
          Collections.reverse(messages);
        }
        return new MessagePage(List.copyOf(messages), hasMore);
      }
    });
  }

  @Override
  public List<Message> messagesAfter(String conversationId, long afterSeq, int limit) {
    if (limit < 1) {
      return List.of();
    }
    return run("messagesAfter", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages WHERE thread_id = ? AND seq > ?"
              + " ORDER BY seq LIMIT ?")) {
        ps.setString(1, conversationId);
        ps.setLong(2, afterSeq);
        ps.setInt(3, limit);
        return List.copyOf(readMessages(ps));
      }
    });
  }

  // ---- read positions ----------------------------------------------------------------------

  /**
   * {@inheritDoc} The position is capped at the thread's last seq, so that a position sent ahead
   * of the thread cannot hide messages not yet written. Throws {@code forbidden} for a non-member.
   */
  @Override
  public long markRead(String conversationId, String userId, long seq) {
    return run("markRead", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE members SET read_seq = CASE WHEN read_seq >= ? THEN read_seq ELSE ? END"
              + " WHERE thread_id = ? AND user_id = ? RETURNING read_seq")) {
        long target = Math.min(seq, lastSeq(c, conversationId));
        ps.setLong(1, target);
        ps.setLong(2, target);
        ps.setString(3, conversationId);
        ps.setString(4, userId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw ChatException.forbidden("not a member of the thread");
          }
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public Map<String, Long> readPositions(String conversationId) {
    return run("readPositions", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT user_id, read_seq FROM members WHERE thread_id = ? AND read_seq > 0")) {
        ps.setString(1, conversationId);
        Map<String, Long> out = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
        return out;
      }
    });
  }

  // ---- attachments -------------------------------------------------------------------------

  @Override
  public void saveAttachment(AttachmentRecord record) {
    Attachment a = record.attachment();
    run("saveAttachment", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO attachments (id, uploader, content_type, size, filename, storage_key,"
              + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, a.id());
        ps.setString(2, record.uploaderId());
        ps.setString(3, a.contentType());
        ps.setLong(4, a.size());
        ps.setString(5, a.filename());
        ps.setString(6, record.storageKey());
        ps.setLong(7, record.createdAt());
        return ps.executeUpdate();
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          throw ChatException.conflict("attachment " + a.id() + " exists");
        }
        throw e;
      }
    });
  }

  @Override
  public Optional<AttachmentRecord> findAttachment(String attachmentId) {
    return run("findAttachment", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, content_type, size, filename, uploader, storage_key, created_at"
              + " FROM attachments WHERE id = ?")) {
        ps.setString(1, attachmentId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Attachment a = new Attachment(rs.getString(1), rs.getString(2), rs.getLong(3),
              rs.getString(4));
          return Optional.of(new AttachmentRecord(a, rs.getString(5), rs.getString(6),
              rs.getLong(7)));
        }
      }
    });
  }

  @Override
  public boolean attachmentPostedToMemberOf(String attachmentId, String userId) {
    return run("attachmentPostedToMemberOf", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM message_attachments ma JOIN members m ON m.thread_id = ma.thread_id"
              + " WHERE ma.attachment_id = ? AND m.user_id = ? LIMIT 1")) {
        ps.setString(1, attachmentId);
        ps.setString(2, userId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  // ---- blocking, muting, group roles (contract 7.4) -------------------------------------

  @Override
  public boolean block(String blockerId, String blockedId, long now) {
    return run("block", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO blocks (blocker, blocked, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, blockerId);
        ps.setString(2, blockedId);
        ps.setLong(3, now);
        return ps.executeUpdate() > 0;
      } catch (SQLException e) {
        if (dialect.isForeignKeyViolation(e)) {
          throw ChatException.notFound("unknown user");
        }
        throw e;
      }
    });
  }

  @Override
  public boolean unblock(String blockerId, String blockedId) {
    return run("unblock", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM blocks WHERE blocker = ? AND blocked = ?")) {
        ps.setString(1, blockerId);
        ps.setString(2, blockedId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<User> blockedUsers(String blockerId) {
    return run("blockedUsers", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT u.id, u.username, u.display_name FROM blocks b JOIN users u ON u.id = b.blocked"
              + " WHERE b.blocker = ? ORDER BY b.created_at, b.blocked")) {
        ps.setString(1, blockerId);
        List<User> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.user(rs, 1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public int blockCount(String blockerId) {
    return run("blockCount", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM blocks WHERE blocker = ?")) {
        ps.setString(1, blockerId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
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
    return run("blockersAmong", c -> {
      Set<String> out = new LinkedHashSet<>();
      for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
        List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_CHUNK));
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT blocker FROM blocks WHERE blocked = ? AND blocker IN (" + marks(chunk.size()) + ")")) {
          ps.setString(1, blockedId);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 2, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public Map<String, Set<String>> blockersByBlocked() {
    return run("blockersByBlocked", c -> {
      Map<String, Set<String>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT blocked, blocker FROM blocks");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>()).add(rs.getString(2));
        }
      }
      return out;
    });
  }

  @Override
  public boolean setMuted(String conversationId, String userId, boolean muted) {
    return setMemberFlag("setMuted", "muted", conversationId, userId, muted);
  }

  @Override
  public Set<String> mutedConversationIdsOf(String userId) {
    return new java.util.HashSet<>(strings("mutedConversationIdsOf",
        "SELECT thread_id FROM members WHERE user_id = ? AND muted = TRUE",
        userId));
  }

  @Override
  public List<String> mutedBy(String conversationId) {
    return strings("mutedBy",
        "SELECT user_id FROM members WHERE thread_id = ? AND muted = TRUE",
        conversationId);
  }

  @Override
  public boolean setAdmin(String conversationId, String userId, boolean admin) {
    return setMemberFlag("setAdmin", "admin", conversationId, userId, admin);
  }

  @Override
  public Map<String, List<String>> adminsOfConversationsOf(String userId) {
    return run("adminsOfConversationsOf", c -> {
      Map<String, List<String>> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT a.thread_id, a.user_id FROM members m JOIN members a ON a.thread_id = m.thread_id"
              + " WHERE m.user_id = ? AND a.admin = TRUE"
              + " ORDER BY a.thread_id, a.joined_at, a.user_id")) {
        ps.setString(1, userId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
      return out;
    });
  }

  @Override
  public boolean renameThread(String conversationId, String title) {
    return run("renameThread", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE threads SET title = ? WHERE id = ?")) {
        ps.setString(1, title);
        ps.setString(2, conversationId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private boolean setMemberFlag(String what, String column, String conversationId, String userId,
                                boolean value) {
    return run(what, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE members SET " + column + " = ? WHERE thread_id = ? AND user_id = ?")) {
        ps.setBoolean(1, value);
        ps.setString(2, conversationId);
        ps.setString(3, userId);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private static List<String> admins(Connection c, String conversationId, Dialect dialect)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT user_id FROM members WHERE thread_id = ? AND admin = TRUE"
            + " ORDER BY joined_at, user_id")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  // ---- search (contract 7.3) --------------------------------------------------------------

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
    if (sqlite) {
      sql.append(" FROM search_fts f JOIN search_docs s ON s.doc_id = f.rowid");
    } else {
      sql.append(" FROM message_search s");
    }
    sql.append(" JOIN messages m ON m.thread_id = s.thread_id AND m.seq = s.seq")
        .append(" JOIN members mb ON mb.thread_id = s.thread_id AND mb.user_id = ?")
        .append(sqlite ? " WHERE search_fts MATCH ?" : " WHERE s.words @@ to_tsquery('simple', ?)");
    if (conversationId != null) {
      sql.append(" AND s.thread_id = ?");
    }
    if (beforeTs != null) {
      sql.append(" AND (m.ts < ? OR (m.ts = ? AND m.id < ?))");
    }
    sql.append(" ORDER BY m.ts DESC, m.id DESC LIMIT ?");
    String match = sqlite ? ftsMatch(words) : tsQuery(words);
    return run("searchMessages", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        ps.setString(p++, userId);
        ps.setString(p++, match);
        if (conversationId != null) {
          ps.setString(p++, conversationId);
        }
        if (beforeTs != null) {
          ps.setLong(p++, beforeTs);
          ps.setLong(p++, beforeTs);
          ps.setString(p++, beforeId);
        }
        ps.setInt(p, limit);
        return List.copyOf(readMessages(ps));
      }
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
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (AppendResult r : results) {
      if (!r.duplicate() && seen.add(r.message().id())) {
        out.add(r.message());
      }
    }
    return out;
  }

  // ---- health ------------------------------------------------------------------------------

  @Override
  public boolean isHealthy() {
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
    if (checkpointer != null) {
      checkpointer.close();
    }
    dataSource.close();
  }

  /** The pool (for tests in this package). */
  javax.sql.DataSource dataSource() {
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
        dataSource.evictConnection(c);
        throw e;
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    });
  }

  /** The driver's text stays in the exception, for the log; clients never see it (WireErrors). */
  private static StoreUnavailableException unavailable(String what, SQLException e) {
    return new StoreUnavailableException("store unavailable (" + what + "): " + e.getMessage(), e);
  }

  /** Inserts a thread row; false when its direct key is taken. */
  private boolean insertThread(Connection c, String id, String kind, String title, String creator,
                               String directKey, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO threads (id, kind, title, creator, direct_key, created_at, last_seq,"
            + " last_activity) VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, id);
      ps.setString(2, kind);
      ps.setString(3, title);
      ps.setString(4, creator);
      ps.setString(5, directKey);
      ps.setLong(6, now);
      ps.setLong(7, now);
      return ps.executeUpdate() > 0;
    }
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
    String id;
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM threads WHERE direct_key = ?")) {
      ps.setString(1, directKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        id = rs.getString(1);
      }
    }
    return loadThread(c, id);
  }

  private Optional<ChatThread> loadThread(Connection c, String conversationId) throws SQLException {
    List<User> members = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT u.id, u.username, u.display_name FROM members m JOIN users u ON u.id = m.user_id"
            + " WHERE m.thread_id = ? ORDER BY m.joined_at, m.user_id")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.add(Rows.user(rs, 1));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + THREAD_COLUMNS + " FROM threads WHERE id = ?")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        ChatThread thread = thread(rs, members);
        return Optional.of(thread.isDirect() ? thread : thread.withAdmins(admins(c, conversationId, dialect)));
      }
    }
  }

  /** A thread from {@link #THREAD_COLUMNS} at columns 1 to 6. */
  private static ChatThread thread(ResultSet rs, List<User> members) throws SQLException {
    return new ChatThread(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        members, rs.getLong(5), rs.getLong(6));
  }

  private static long lastSeq(Connection c, String conversationId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM threads WHERE id = ?")) {
      ps.setString(1, conversationId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private List<Message> readMessages(PreparedStatement ps) throws SQLException {
    List<Message> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rows.message(rs, 1));
      }
    }
    return out;
  }

  private List<String> strings(String what, String sql, String param) {
    return run(what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, param);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
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
