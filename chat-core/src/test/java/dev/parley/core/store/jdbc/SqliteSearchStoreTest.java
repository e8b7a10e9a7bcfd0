package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.search.SearchText;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The search index on SQLite (FTS5), and how it is filled behind the group commit: messages are
 * numbered when stored and indexed by a catch-up, which a later batch runs once it is due and
 * every search runs first.
 */
class SqliteSearchStoreTest extends SearchStoreContract {
  private final AtomicLong clock = new AtomicLong(1_000_000);

  @Override
  TestDatabase newDatabase() {
    return TestDatabases.sqlite();
  }

  @Test
  void storedMessagesWaitForACatchUpInALaterBatchOnceDue() throws SQLException {
    ChatThread t = thread();
    send(t, "alpha one"); // the store's first batch: it has not looked yet, so it catches up now
    assertThat(indexed()).isEqualTo(1);
    send(t, "alpha two");
    send(t, "alpha three");
    // numbered with the row, not yet in the index
    assertThat(query("SELECT count(*) FROM messages WHERE doc_id IS NOT NULL")).isEqualTo(3);
    assertThat(indexed()).isEqualTo(1);

    // due once 1,024 wait: this batch indexes them all, itself included
    List<PendingMessage> many = new ArrayList<>();
    for (int i = 0; i < SearchIndex.CATCH_UP_DOCS; i++) {
      many.add(new PendingMessage(Ids.newTimeOrderedId(), t.id(), t.creator(), "beta " + i,
          clock.incrementAndGet(), null, List.of()));
    }
    store.appendBatch(many);
    long sent = 3 + SearchIndex.CATCH_UP_DOCS;
    assertThat(indexed()).isEqualTo(sent);
    assertThat(query("SELECT indexed_through FROM search_state"))
        .isEqualTo(query("SELECT max(doc_id) FROM messages"));

    // and 50 ms after the first one waiting: some later batch takes them all in
    AtomicLong count = new AtomicLong(sent);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      send(t, "gamma");
      return indexed() == count.incrementAndGet();
    });
    assertThat(search(t, "alpha")).hasSize(3);
  }

  @Test
  void editsAndDeletionsOfIndexedAndWaitingMessagesKeepTheIndexWhole() throws SQLException {
    ChatThread t = thread();
    Message indexedEdit = send(t, "indexed draft");
    Message indexedGone = send(t, "indexed secret");
    assertThat(search(t, "indexed")).hasSize(2); // the search caught up: both are in the index
    Message waitingEdit = send(t, "waiting draft");
    Message waitingGone = send(t, "waiting secret");
    assertThat(indexed()).isEqualTo(2);

    change(t, indexedEdit, Change.edited(indexedEdit.seq()), "indexed final");
    change(t, waitingEdit, Change.edited(waitingEdit.seq()), "waiting final");
    change(t, indexedGone, Change.deleted(indexedGone.seq()), "");
    change(t, waitingGone, Change.deleted(waitingGone.seq()), "");

    assertThat(search(t, "final")).containsExactly("waiting final", "indexed final");
    assertThat(search(t, "draft")).isEmpty();
    assertThat(search(t, "secret")).isEmpty();
    // the index against its content, row by row: a 'delete' of text it never held would fail it
    try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
    }
    assertThat(indexed()).isEqualTo(2);
  }

  @Test
  void messagesStillWaitingWhenTheStoreStopsAreFoundAfterItReopens() throws SQLException {
    ChatThread t = thread();
    send(t, "caught up at once"); // the store's first batch
    send(t, "waiting at the stop");
    assertThat(indexed()).isEqualTo(1);
    String url = store.dataSource().getConnection().getMetaData().getURL();
    store.close();
    store = JdbcChatStore.open(StoreOptions.of(url));

    assertThat(search(t, "stop")).containsExactly("waiting at the stop");
    assertThat(indexed()).isEqualTo(2);
  }

  private ChatThread thread() {
    User u = store.createUser("sq" + clock.incrementAndGet(), "S", "h", clock.incrementAndGet());
    return store.createGroup("g", u.id(), List.of(u.id()), clock.incrementAndGet());
  }

  private Message send(ChatThread t, String body) {
    return store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(),
        t.creator(), body, clock.incrementAndGet(), null, List.of()))).get(0).message();
  }

  private void change(ChatThread t, Message target, Change change, String body) {
    store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), target.sender(),
        body, clock.incrementAndGet(), null, List.of(), null, change)));
  }

  private List<String> search(ChatThread t, String q) {
    return store.searchMessages(t.creator(), SearchText.queryWords(q), t.id(), null, null, 50)
        .stream().map(Message::body).toList();
  }

  /** Documents in the FTS index. */
  private long indexed() throws SQLException {
    return query("SELECT count(*) FROM search_fts_docsize");
  }

  private long query(String sql) throws SQLException {
    try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
