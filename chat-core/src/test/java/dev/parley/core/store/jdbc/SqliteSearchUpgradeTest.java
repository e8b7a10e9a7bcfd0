package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.search.SearchText;
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
 * Version 8 of the SQLite schema moves the search document numbers from search_docs onto the
 * message rows: a database indexed under version 7 keeps its index, numbers and all.
 */
class SqliteSearchUpgradeTest extends SqliteUpgradeFixture {
  @Test
  void aVersion7IndexIsKeptAndKeepsWorking() throws Exception {
    open();
    User ann = store.createUser("ann", "Ann", "h", clock.incrementAndGet());
    ChatThread t = store.createGroup("g", ann.id(), List.of(ann.id()), clock.incrementAndGet());
    Message first = send(t, ann, "alpha one");
    Message typo = send(t, ann, "bravo tpyo");
    send(t, ann, "alpha three");
    Message gone = send(t, ann, "charlie four");
    // numbers out of seq order: the edit numbers its message anew, the deletion leaves a hole
    change(t, ann, Change.edited(typo.seq()), "bravo typo");
    change(t, ann, Change.deleted(gone.seq()), "");
    closeStore();
    List<Object[]> numbered = docIds();
    assertThat(numbered).hasSize(3);

    asVersion7();
    open();

    assertThat(docIds()).containsExactlyElementsOf(numbered);
    assertThat(search(ann, "alpha")).containsExactly("alpha three", "alpha one");
    assertThat(search(ann, "typo")).containsExactly("bravo typo");
    assertThat(search(ann, "tpyo")).isEmpty();
    assertThat(search(ann, "charlie")).isEmpty();
    checkIndex();

    // and on from there: new messages, edits and deletions after the upgrade
    send(t, ann, "alpha five");
    change(t, ann, Change.deleted(first.seq()), "");
    change(t, ann, Change.edited(typo.seq()), "bravo fixed");
    assertThat(search(ann, "alpha")).containsExactly("alpha five", "alpha three");
    assertThat(search(ann, "bravo")).containsExactly("bravo fixed");
    checkIndex();
  }

  private Message send(ChatThread t, User from, String body) {
    return store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), from.id(),
        body, clock.incrementAndGet(), null, List.of()))).get(0).message();
  }

  private void change(ChatThread t, User from, Change change, String body) {
    store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), from.id(), body,
        clock.incrementAndGet(), null, List.of(), null, change)));
  }

  private List<String> search(User user, String q) {
    return store.searchMessages(user.id(), SearchText.queryWords(q), null, null, null, 50).stream()
        .map(Message::body).toList();
  }

  /** (thread, seq, doc id) of every numbered message. */
  private List<Object[]> docIds() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(
             "SELECT thread_id, seq, doc_id FROM messages WHERE doc_id IS NOT NULL ORDER BY doc_id")) {
      List<Object[]> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)});
      }
      return out;
    }
  }

  /** Puts the database back in version 7's shape: the numbers in search_docs. */
  private void asVersion7() throws SQLException {
    execute("CREATE TABLE search_docs (doc_id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL,"
            + " seq INTEGER NOT NULL, UNIQUE (thread_id, seq))",
        "INSERT INTO search_docs SELECT doc_id, thread_id, seq FROM messages"
            + " WHERE doc_id IS NOT NULL",
        "DROP VIEW search_content",
        "CREATE VIEW search_content AS SELECT d.doc_id AS doc_id, m.body AS body"
            + " FROM search_docs d JOIN messages m ON m.thread_id = d.thread_id AND m.seq = d.seq",
        "DROP INDEX messages_doc",
        "ALTER TABLE messages DROP COLUMN doc_id",
        "DELETE FROM schema_version WHERE version = 8");
  }

  /** FTS5's own check of the index against its content; throws if they differ. */
  private void checkIndex() throws SQLException {
    execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
  }
}
