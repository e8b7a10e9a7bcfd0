package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The blob contract in PostgreSQL (a fresh schema per test), and the rows it leaves: one per
 * 256 KiB chunk, none after a delete.
 */
class PostgresBlobStoreTest extends JdbcBlobStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.postgres();
  }

  private long count(String sql, String key) throws SQLException {
    try (Connection c = chat.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void keepsOneRowPerChunkAndNoneAfterDelete() throws IOException, SQLException {
    String key = put(bytes(SIZE));
    String chunks = "SELECT count(*) FROM attachment_chunks WHERE blob_key = ?";
    assertThat(count(chunks, key)).isEqualTo(3);
    assertThat(count("SELECT max(length(data)) FROM attachment_chunks WHERE blob_key = ?", key))
        .isEqualTo(JdbcBlobStore.CHUNK_SIZE);
    store().delete(key);
    assertThat(count(chunks, key)).isZero();
    assertThat(count("SELECT count(*) FROM attachment_blobs WHERE blob_key = ?", key)).isZero();
  }
}
