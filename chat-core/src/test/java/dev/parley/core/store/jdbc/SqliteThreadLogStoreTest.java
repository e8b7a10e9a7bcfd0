package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.model.Change;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SqliteThreadLogStoreTest extends ThreadLogStoreContract {
  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }

  @Test
  void aDeletedBodyAndItsEditsAreGoneFromTheDatabaseFiles() throws Exception {
    String first = "SECRET-" + UUID.randomUUID();
    String second = "EDITED-" + UUID.randomUUID();
    send(alice, first);
    checkpoint();
    assertThat(filesContain(first)).as("the check reads the right file").isTrue();
    one(change(alice, Change.edited(1), second, null));
    checkpoint();
    assertThat(filesContain(second)).isTrue();

    one(change(alice, Change.deleted(1), null, null));
    checkpoint();
    assertThat(filesContain(first)).isFalse();
    assertThat(filesContain(second)).isFalse();
  }

  @Test
  void runsWithSecureDelete() throws SQLException {
    try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA secure_delete")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  private Path file() {
    String url = db.url().substring("jdbc:sqlite:".length());
    int q = url.indexOf('?');
    return Path.of(q < 0 ? url : url.substring(0, q));
  }

  private void checkpoint() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("checkpoint not blocked").isZero();
    }
  }

  private boolean filesContain(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    for (String suffix : new String[] {"", "-wal", "-journal"}) {
      Path f = Path.of(file() + suffix);
      if (Files.exists(f) && indexOf(Files.readAllBytes(f), needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
