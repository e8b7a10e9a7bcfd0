package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.search.SearchText;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.testing.TestDatabase;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The search index (contract 7.3) on every {@link JdbcChatStore} database; subclasses say which. */
abstract class SearchStoreContract {
  private final AtomicLong clock = new AtomicLong(1_000);
  private TestDatabase db;
  JdbcChatStore store;
  private User ann;
  private User ben;
  private ChatThread t;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void openStore() {
    db = newDatabase();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
    ann = store.createUser("ann", "Ann", "h", clock.incrementAndGet());
    ben = store.createUser("ben", "Ben", "h", clock.incrementAndGet());
    t = store.createGroup("g", ann.id(), List.of(ann.id(), ben.id()), clock.incrementAndGet());
  }

  @AfterEach
  void closeStore() {
    store.close();
    db.close();
  }

  private Message send(String body) {
    return store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), ann.id(),
        body, clock.incrementAndGet(), null, List.of()))).get(0).message();
  }

  private List<String> search(String userId, String q) {
    return store.searchMessages(userId, SearchText.queryWords(q), null, null, null, 50).stream()
        .map(Message::body).toList();
  }

  @Test
  void findsEveryWordIgnoringCaseAndDiacriticsWithTheLastWordAsAPrefix() {
    send("Un Café à Paris");
    send("the cafeteria is closed");
    send("CAFE society");
    send("nothing here");

    // "cafe" alone is the last word: a prefix, so it finds the cafeteria too
    assertThat(search(ben.id(), "cafe")).containsExactly("CAFE society", "the cafeteria is closed",
        "Un Café à Paris");
    assertThat(search(ben.id(), "cafe à")).containsExactly("Un Café à Paris");
    assertThat(search(ben.id(), "cafe society")).containsExactly("CAFE society");
    assertThat(search(ben.id(), "CAFÉ PARIS")).containsExactly("Un Café à Paris");
    assertThat(search(ben.id(), "caf")).containsExactly("CAFE society", "the cafeteria is closed",
        "Un Café à Paris");
    assertThat(search(ben.id(), "caf society")).isEmpty(); // only the last word is a prefix
    assertThat(search(ben.id(), "paris caf")).containsExactly("Un Café à Paris");
  }

  @Test
  void ftsSyntaxInTheQueryIsPlainWords() {
    send("cats OR dogs NEAR the house (really)");
    send("cats only");
    assertThat(search(ben.id(), "\"cats\" OR")).containsExactly("cats OR dogs NEAR the house (really)");
    assertThat(search(ben.id(), "NEAR(cats dogs")).containsExactly("cats OR dogs NEAR the house (really)");
    assertThat(search(ben.id(), "cat*")).containsExactly("cats only", "cats OR dogs NEAR the house (really)");
    assertThat(search(ben.id(), "-cats ^only")).containsExactly("cats only");
  }

  @Test
  void onlyThreadsTheUserIsAMemberOfNowAndPagesNewestFirst() {
    Message a = send("hello one");
    Message b = send("hello two");
    Message c = send("hello three");
    User outsider = store.createUser("out", "Out", "h", clock.incrementAndGet());
    assertThat(search(outsider.id(), "hello")).isEmpty();
    store.removeMember(t.id(), ben.id());
    assertThat(search(ben.id(), "hello")).isEmpty();

    List<String> words = SearchText.queryWords("hello");
    assertThat(store.searchMessages(ann.id(), words, t.id(), null, null, 2)).containsExactly(c, b);
    assertThat(store.searchMessages(ann.id(), words, t.id(), b.ts(), b.id(), 2)).containsExactly(a);
    assertThat(store.searchMessages(ann.id(), words, "other-thread", null, null, 2)).isEmpty();
  }

  private void change(Message target, Change change, String body) {
    store.appendBatch(List.of(new PendingMessage(Ids.newTimeOrderedId(), t.id(), ann.id(), body,
        clock.incrementAndGet(), null, List.of(), null, change)));
  }

  @Test
  void anEditIsFoundByItsNewWordsOnlyAndADeletedMessageNotAtAll() {
    Message typo = send("meet at the libary");
    Message gone = send("the libary code is 1234");
    send("library hours");

    change(typo, Change.edited(typo.seq()), "meet at the library");
    assertThat(search(ben.id(), "libary")).containsExactly("the libary code is 1234");
    assertThat(search(ben.id(), "meet library")).containsExactly("meet at the library");

    change(gone, Change.deleted(gone.seq()), "");
    assertThat(search(ben.id(), "libary")).isEmpty();
    assertThat(search(ben.id(), "code")).isEmpty();
    // the edit entry itself is never a result: only messages, as they stand now
    assertThat(search(ben.id(), "library")).containsExactly("library hours", "meet at the library");
  }

  @Test
  void anEditThenADeleteInOneBatchLeavesNothingFindable() {
    Message m = send("first draft");
    store.appendBatch(List.of(
        new PendingMessage(Ids.newTimeOrderedId(), t.id(), ann.id(), "second draft",
            clock.incrementAndGet(), null, List.of(), null, Change.edited(m.seq())),
        new PendingMessage(Ids.newTimeOrderedId(), t.id(), ann.id(), "",
            clock.incrementAndGet(), null, List.of(), null, Change.deleted(m.seq()))));
    assertThat(search(ben.id(), "draft")).isEmpty();
  }

  @Test
  void aRemovedMessageIsNoLongerFoundAndAReindexedOneByItsNewWords() throws Exception {
    Message m = send("secret plans");
    send("other plans");
    SearchIndex index = new SearchIndex(Dialect.of(db.url()));
    try (var c = store.dataSource().getConnection()) {
      index.remove(c, m.thread(), m.seq());
    }
    assertThat(search(ben.id(), "secret")).isEmpty();
    assertThat(search(ben.id(), "plans")).containsExactly("other plans");
  }
}
