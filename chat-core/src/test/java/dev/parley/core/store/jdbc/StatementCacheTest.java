package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** The group commit's kept statements, on a real SQLite file behind a real HikariCP pool. */
class StatementCacheTest {
  private static final String INSERT = "INSERT INTO t (v) VALUES (?)";

  @TempDir
  Path tmp;
  private HikariDataSource pool;
  private final StatementCache cache = StatementCache.forWriter();

  @BeforeEach
  void open() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + tmp.resolve("cache.db"));
    config.setMaximumPoolSize(1);
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
    }
  }

  @AfterEach
  void close() {
    cache.clear();
    pool.close();
  }

  @Test
  void aStatementIsCompiledOnceAndOutlivesTheConnectionsReturnToThePool() throws SQLException {
    PreparedStatement first = insertInTransaction(1);
    PreparedStatement second = insertInTransaction(2);

    assertThat(second).isSameAs(first);
    assertThat(second.isClosed()).isFalse();
    assertThat(values()).isEqualTo("1,2");
  }

  @Test
  void aConnectionTheGroupCommitUsesGetsTheLargerPageCacheAndOthersKeepTheDefault()
      throws SQLException {
    try (Connection c = pool.getConnection(); StatementCache.Statements st = cache.on(c)) {
      assertThat(cacheSize(c)).isEqualTo(-StatementCache.WRITER_PAGE_CACHE_KIB);
    }
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("cache.db"))) {
      assertThat(cacheSize(other)).isEqualTo(-2000); // SQLite's default, 2,000 KiB
    }
  }

  @Test
  void theCacheForReadsKeepsStatementsButLeavesThePageCacheAlone() throws SQLException {
    StatementCache reads = StatementCache.forReads();
    try {
      PreparedStatement first;
      try (Connection c = pool.getConnection(); StatementCache.Statements st = reads.on(c)) {
        first = st.prepare("SELECT count(*) FROM t");
        assertThat(cacheSize(c)).isEqualTo(-2000);
      }
      try (Connection c = pool.getConnection(); StatementCache.Statements st = reads.on(c)) {
        assertThat(st.prepare("SELECT count(*) FROM t")).isSameAs(first);
      }
    } finally {
      reads.clear();
    }
  }

  private static long cacheSize(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA cache_size")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aBatchLeftUnexecutedIsNotRunByTheNextUse() throws SQLException {
    try (Connection c = pool.getConnection(); StatementCache.Statements st = cache.on(c)) {
      PreparedStatement ps = st.prepare(INSERT);
      ps.setLong(1, 99);
      ps.addBatch(); // abandoned, as by work that failed before executing it
    }
    insertInTransaction(1);

    assertThat(values()).isEqualTo("1");
  }

  @Test
  void afterAFailedTransactionTheStatementIsCompiledAgain() throws SQLException {
    PreparedStatement before = insertInTransaction(1);
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (StatementCache.Statements st = cache.on(c)) {
        PreparedStatement ps = st.prepare(INSERT);
        ps.setLong(1, 1);
        ps.addBatch();
        ps.executeBatch();
      } catch (SQLException duplicate) {
        cache.forget(c);
        c.rollback();
      }
    }
    PreparedStatement after = insertInTransaction(2);

    assertThat(before.isClosed()).isTrue();
    assertThat(after).isNotSameAs(before);
    assertThat(values()).isEqualTo("1,2");
  }

  @Test
  void aConnectionThePoolRetiredIsDroppedWhenAnotherArrives() throws SQLException {
    insertInTransaction(1);
    Connection physical;
    try (Connection c = pool.getConnection()) {
      physical = c.unwrap(SQLiteConnection.class);
      pool.evictConnection(c); // closed by the pool, as at the end of its lifetime
    }
    // Hikari closes an evicted connection on a thread of its own
    await().atMost(Duration.ofSeconds(10)).until(physical::isClosed);
    PreparedStatement onNewConnection = insertInTransaction(2);

    assertThat(onNewConnection.isClosed()).isFalse();
    assertThat(cache.connections()).isEqualTo(1);
    assertThat(values()).isEqualTo("1,2");
  }

  @Test
  void withoutKeepingStatementsAreClosedWithTheirWork() throws SQLException {
    PreparedStatement ps;
    try (Connection c = pool.getConnection(); StatementCache.Statements st = StatementCache.none(c)) {
      ps = st.prepare(INSERT);
      ps.setLong(1, 5);
      ps.executeUpdate();
    }

    assertThat(ps.isClosed()).isTrue();
    assertThat(cache.connections()).isZero();
    assertThat(values()).isEqualTo("5");
  }

  private PreparedStatement insertInTransaction(long value) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      PreparedStatement ps;
      try (StatementCache.Statements st = cache.on(c)) {
        ps = st.prepare(INSERT);
        ps.setLong(1, value);
        ps.addBatch();
        ps.executeBatch();
      }
      c.commit();
      return ps;
    }
  }

  private String values() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY v")) {
      while (rs.next()) {
        out.append(out.length() == 0 ? "" : ",").append(rs.getLong(1));
      }
    }
    return out.toString();
  }
}
