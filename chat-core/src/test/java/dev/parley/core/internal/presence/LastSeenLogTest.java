package dev.parley.core.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.store.StoreUnavailableException;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.DelegatingChatStore;
import dev.parley.core.testing.MovableClock;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.model.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Last seen" noted in memory and written in batches, against a real SQLite store. */
class LastSeenLogTest {
  private final MovableClock clock = new MovableClock(Instant.ofEpochMilli(10_000));
  private final List<Map<String, Long>> batches = new ArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private TestDatabase db;
  private JdbcChatStore store;
  private LastSeenLog log;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
    log = new LastSeenLog(new DelegatingChatStore(store) {
      @Override
      public void recordLastSeen(Map<String, Long> times) {
        if (failing.get()) {
          throw new StoreUnavailableException("disk gone", null);
        }
        batches.add(Map.copyOf(times));
        super.recordLastSeen(times);
      }
    }, clock);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    db.close();
  }

  @Test
  void manyNotesBecomeOneWriteAtTheLatestTimeOfEachUser() {
    User ann = store.createUser("ann", "Ann", "h", 1);
    User ben = store.createUser("ben", "Ben", "h", 1);
    log.seen(ann.id());
    clock.advance(Duration.ofSeconds(2));
    log.seen(ben.id());
    clock.advance(Duration.ofSeconds(3));
    log.seen(ann.id());

    log.flush();
    log.flush(); // nothing new: no write

    assertThat(batches).containsExactly(Map.of(ann.id(), 15_000L, ben.id(), 12_000L));
    assertThat(store.lastSeen(ann.id())).hasValue(15_000);
    assertThat(store.lastSeen(ben.id())).hasValue(12_000);
  }

  @Test
  void whatCannotBeWrittenIsKeptForTheNextFlush() {
    User ann = store.createUser("ann", "Ann", "h", 1);
    log.seen(ann.id());
    failing.set(true);
    log.flush();
    assertThat(store.lastSeen(ann.id())).isEmpty();

    failing.set(false);
    log.flush();
    assertThat(store.lastSeen(ann.id())).hasValue(10_000);
  }
}
