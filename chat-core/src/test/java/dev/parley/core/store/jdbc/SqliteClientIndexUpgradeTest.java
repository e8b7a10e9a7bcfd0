package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.PendingMessage;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version 10 of the SQLite schema keys the clientId index by clientId first: a database of
 * version 9 gets the new order, and a message resent under a clientId stored before the upgrade
 * is still found as a repeat, in a later batch and within one.
 */
class SqliteClientIndexUpgradeTest extends SqliteUpgradeFixture {
  @Test
  void aVersion9DatabaseGetsTheNewOrderAndKeepsItsRepeats() throws Exception {
    open();
    assertThat(indexColumns()).containsExactly("client_id", "sender", "thread_id");
    User ann = store.createUser("ann", "Ann", "h", clock.incrementAndGet());
    User bob = store.createUser("bob", "Bob", "h", clock.incrementAndGet());
    ChatThread t = store.createGroup("g", ann.id(), List.of(ann.id(), bob.id()), clock.incrementAndGet());
    ChatThread u = store.createGroup("h", ann.id(), List.of(ann.id(), bob.id()), clock.incrementAndGet());
    AppendResult first = send(t, ann, "c-1", "one").get(0);
    closeStore();

    asVersion9();
    assertThat(indexColumns()).containsExactly("thread_id", "client_id", "sender");
    open();
    assertThat(indexColumns()).containsExactly("client_id", "sender", "thread_id");

    // stored before the upgrade: found as a repeat, with the first message's seq
    AppendResult again = send(t, ann, "c-1", "one, resent").get(0);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message().seq()).isEqualTo(first.message().seq());
    assertThat(again.message().body()).isEqualTo("one");

    // the same clientId from another sender, or in another thread, is another message
    assertThat(send(t, bob, "c-1", "bob's").get(0).duplicate()).isFalse();
    assertThat(send(u, ann, "c-1", "elsewhere").get(0).duplicate()).isFalse();

    // a repeat and a new message in one batch: only the new one takes a seq
    List<AppendResult> mixed = send(t, ann, "c-1", "one, third time", "c-2", "two");
    assertThat(mixed.get(0).duplicate()).isTrue();
    assertThat(mixed.get(1).duplicate()).isFalse();
    assertThat(mixed.get(1).message().seq()).isEqualTo(3);
  }

  /** Sends (clientId, body) pairs from {@code from} to {@code t} in one batch. */
  private List<AppendResult> send(ChatThread t, User from, String... clientIdsAndBodies) {
    List<PendingMessage> batch = new ArrayList<>();
    for (int i = 0; i < clientIdsAndBodies.length; i += 2) {
      batch.add(new PendingMessage(Ids.newTimeOrderedId(), t.id(), from.id(),
          clientIdsAndBodies[i + 1], clock.incrementAndGet(), clientIdsAndBodies[i], List.of()));
    }
    return store.appendBatch(batch);
  }

  private List<String> indexColumns() throws SQLException {
    return column("SELECT name FROM pragma_index_info('messages_client') ORDER BY seqno");
  }

  /** Puts the database back in version 9's shape: the index keyed by thread first. */
  private void asVersion9() throws SQLException {
    execute("DROP INDEX messages_client",
        "CREATE UNIQUE INDEX messages_client ON messages (thread_id, client_id, sender)"
            + " WHERE client_id IS NOT NULL",
        "DELETE FROM schema_version WHERE version = 10");
  }
}
