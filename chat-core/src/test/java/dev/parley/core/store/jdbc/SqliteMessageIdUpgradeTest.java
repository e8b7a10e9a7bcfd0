package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.search.SearchText;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.PendingMessage;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version 11 of the SQLite schema copies messages into a table without the unique index on id: a
 * database of version 10 keeps every row as it was (changes, replies, search numbers), its other
 * indexes, its search index and its repeats, and goes on from there.
 */
class SqliteMessageIdUpgradeTest extends SqliteUpgradeFixture {
  @Test
  void aVersion10DatabaseLosesTheIdIndexAndNothingElse() throws Exception {
    open();
    assertThat(uniqueConstraintIndexes()).isEmpty();
    User ann = store.createUser("ann", "Ann", "h", clock.incrementAndGet());
    User bob = store.createUser("bob", "Bob", "h", clock.incrementAndGet());
    ChatThread t = store.createGroup("g", ann.id(), List.of(ann.id(), bob.id()), clock.incrementAndGet());
    ChatThread u = store.createGroup("h", ann.id(), List.of(ann.id(), bob.id()), clock.incrementAndGet());
    Message first = send(t, ann, "c-1", "alpha one", null, null).message();
    Message typo = send(t, bob, "c-1", "bravo tpyo", first.seq(), null).message();
    send(u, ann, "c-2", "alpha elsewhere", null, null);
    send(t, bob, null, "bravo typo", null, Change.edited(typo.seq()));
    send(t, ann, null, "", null, Change.reaction(typo.seq(), "👍", true));
    Message gone = send(t, ann, "c-3", "charlie gone", null, null).message();
    send(t, ann, null, "", null, Change.deleted(gone.seq()));
    assertThat(search(ann, "alpha")).hasSize(2); // a search first brings the index up to date
    closeStore();
    List<List<Object>> rows = rows();
    checkIntegrity();

    asVersion10();
    assertThat(uniqueConstraintIndexes()).hasSize(1);
    open();

    assertThat(uniqueConstraintIndexes()).isEmpty();
    assertThat(indexes()).containsExactlyInAnyOrder("messages_target", "messages_doc", "messages_client");
    assertThat(rows()).containsExactlyElementsOf(rows);
    checkIntegrity();
    assertThat(search(ann, "alpha")).containsExactly("alpha elsewhere", "alpha one");
    assertThat(search(ann, "typo")).containsExactly("bravo typo");
    assertThat(search(ann, "charlie")).isEmpty();
    Message reply = store.messagesAfter(t.id(), typo.seq() - 1, 1).get(0);
    assertThat(reply.replyTo()).isEqualTo(first.seq());
    assertThat(reply.body()).isEqualTo("bravo typo");

    // on from there: a repeat stored before the upgrade, new messages, a change of an old one
    AppendResult again = send(t, ann, "c-1", "alpha one, resent", null, null);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message().seq()).isEqualTo(first.seq());
    Message next = send(t, ann, "c-4", "alpha after", null, null).message();
    assertThat(next.seq()).isEqualTo(rows.stream().filter(r -> r.get(0).equals(t.id())).count() + 1);
    send(t, ann, null, "", null, Change.deleted(first.seq()));
    assertThat(search(ann, "alpha")).containsExactly("alpha after", "alpha elsewhere");
    checkIntegrity();
  }

  private AppendResult send(ChatThread t, User from, String clientId, String body, Long replyTo,
                            Change change) {
    return store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), from.id(),
        body, clock.incrementAndGet(), clientId, List.of(), replyTo, change))).get(0);
  }

  private List<String> search(User user, String q) {
    return store.searchMessages(user.id(), SearchText.queryWords(q), null, null, null, 50).stream()
        .map(Message::body).toList();
  }

  /** Every column of every message row, in key order. */
  private List<List<Object>> rows() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT * FROM messages ORDER BY thread_id, seq")) {
      int columns = rs.getMetaData().getColumnCount();
      List<List<Object>> out = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  /** The indexes SQLite made for a UNIQUE in the table's declaration (origin "u"). */
  private List<String> uniqueConstraintIndexes() throws SQLException {
    return column("SELECT name FROM pragma_index_list('messages') WHERE origin = 'u'");
  }

  /** The indexes made with CREATE INDEX (origin "c"). */
  private List<String> indexes() throws SQLException {
    return column("SELECT name FROM pragma_index_list('messages') WHERE origin = 'c'");
  }

  /** SQLite's and FTS5's own checks: the b-trees, the foreign keys, the search index. */
  private void checkIntegrity() throws SQLException {
    assertThat(column("PRAGMA integrity_check")).containsExactly("ok");
    assertThat(column("PRAGMA foreign_key_check")).isEmpty();
    execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
  }

  /** Puts the database back in version 10's shape: the table declared with {@code id UNIQUE}. */
  private void asVersion10() throws SQLException {
    execute("DROP VIEW search_content",
        "ALTER TABLE messages RENAME TO messages_v11",
        "CREATE TABLE messages (thread_id TEXT NOT NULL REFERENCES threads (id)"
            + " ON DELETE CASCADE, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,"
            + " sender TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL, client_id TEXT,"
            + " attachments TEXT, kind INTEGER NOT NULL DEFAULT 0, target INTEGER, emoji TEXT,"
            + " reaction_on INTEGER, reply_to INTEGER, edited_at INTEGER,"
            + " deleted INTEGER NOT NULL DEFAULT 0, doc_id INTEGER, PRIMARY KEY (thread_id, seq))"
            + " WITHOUT ROWID",
        "INSERT INTO messages SELECT * FROM messages_v11",
        "DROP TABLE messages_v11",
        "CREATE INDEX messages_target ON messages (thread_id, target) WHERE target IS NOT NULL",
        "CREATE UNIQUE INDEX messages_doc ON messages (doc_id) WHERE doc_id IS NOT NULL",
        "CREATE UNIQUE INDEX messages_client ON messages (client_id, sender, thread_id)"
            + " WHERE client_id IS NOT NULL",
        "CREATE VIEW search_content AS SELECT doc_id, body FROM messages"
            + " WHERE doc_id IS NOT NULL",
        "DELETE FROM schema_version WHERE version = 11");
  }
}
