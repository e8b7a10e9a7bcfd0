package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole store contract on PostgreSQL through a pool the host application made and owns
 * ({@link JdbcChatStore#open(javax.sql.DataSource)}), plus what belongs to the host: the store
 * never closes that pool.
 */
class HostDataSourcePostgresStoreTest extends ChatStoreContract {
  private final List<HikariDataSource> hostPools = new ArrayList<>();

  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }

  @Override
  JdbcChatStore open() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("host-app-pool");
    config.setJdbcUrl(db.url());
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    hostPools.add(pool);
    JdbcChatStore s = JdbcChatStore.open(pool);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeHostPools() {
    hostPools.forEach(HikariDataSource::close);
  }

  @Test
  void closingTheStoreLeavesTheHostsPoolOpenAndUsable() throws Exception {
    user("ann");
    HikariDataSource pool = hostPools.get(0);
    store.close();
    assertThat(pool.isClosed()).isFalse();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM users")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void migratesTheSchemaOfTheHostsUrl() {
    // the schema named by currentSchema did not exist before the store opened
    assertThat(store.isHealthy()).isTrue();
    assertThat(store.toString()).startsWith("JdbcChatStore[host data source jdbc:postgresql:");
  }
}
