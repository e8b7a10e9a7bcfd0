package com.example.host;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.server.ChatServer;
import dev.parley.server.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A host application's chat: Parley on the host's own connection pool (SQLite here, configured as
 * the store requires), on a port of its own. The host closes its pool; Parley leaves it open.
 */
public final class HostChat implements AutoCloseable {
  private final HikariDataSource pool;
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final ChatServer server;

  public HostChat(Path dataDir) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("host-pool");
    config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve("host.db"));
    Properties sqlite = new Properties();
    sqlite.setProperty("journal_mode", "WAL");
    sqlite.setProperty("transaction_mode", "IMMEDIATE");
    sqlite.setProperty("foreign_keys", "true");
    sqlite.setProperty("busy_timeout", "10000");
    config.setDataSourceProperties(sqlite);
    config.setMaximumPoolSize(4);
    pool = new HikariDataSource(config);
    server = ChatServer.builder(ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDir(dataDir)
            .bcryptCost(4)                 // a quick test; keep the default in production
            .build())
        .store(JdbcChatStore.open(pool))
        .meterRegistry(meters)
        .start();
  }

  public int port() {
    return server.port();
  }

  public HikariDataSource pool() {
    return pool;
  }

  public MeterRegistry meters() {
    return meters;
  }

  @Override
  public void close() {
    server.close();
    pool.close();
  }
}
