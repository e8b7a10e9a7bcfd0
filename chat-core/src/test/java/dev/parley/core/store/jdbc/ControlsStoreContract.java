package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.testing.TestDatabase;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocks, mutes, admins and renaming (contract 7.4) on every {@link JdbcChatStore} database;
 * subclasses say which. Each test gets a fresh database.
 */
abstract class ControlsStoreContract {
  private final AtomicLong clock = new AtomicLong(1_000);
  private TestDatabase db;
  JdbcChatStore store;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void openStore() {
    db = newDatabase();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
  }

  @AfterEach
  void closeStore() {
    store.close();
    db.close();
  }

  private User user(String name) {
    return store.createUser(name, name, "h", clock.incrementAndGet());
  }

  private ChatThread group(User creator, User... others) {
    List<String> ids = new java.util.ArrayList<>();
    ids.add(creator.id());
    for (User u : others) {
      ids.add(u.id());
    }
    return store.createGroup("g", creator.id(), ids, clock.incrementAndGet());
  }

  @Test
  void blocksAreOneWayIdempotentAndListedOldestFirst() {
    User a = user("a");
    User b = user("b");
    User c = user("c");
    assertThat(store.block(a.id(), c.id(), clock.incrementAndGet())).isTrue();
    assertThat(store.block(a.id(), b.id(), clock.incrementAndGet())).isTrue();
    assertThat(store.block(a.id(), b.id(), clock.incrementAndGet())).isFalse();

    assertThat(store.blockedUsers(a.id())).containsExactly(c, b);
    assertThat(store.blockCount(a.id())).isEqualTo(2);
    assertThat(store.isBlocking(a.id(), b.id())).isTrue();
    assertThat(store.isBlocking(b.id(), a.id())).isFalse();
    assertThat(store.blockersAmong(b.id(), List.of(a.id(), c.id()))).containsExactly(a.id());
    assertThat(store.blockersByBlocked()).isEqualTo(Map.of(b.id(), Set.of(a.id()),
        c.id(), Set.of(a.id())));

    assertThat(store.unblock(a.id(), b.id())).isTrue();
    assertThat(store.unblock(a.id(), b.id())).isFalse();
    assertThat(store.blockedUsers(a.id())).containsExactly(c);
  }

  @Test
  void blockingAnUnknownUserIsNotFoundAndDeletingAUserDropsTheirBlocks() {
    User a = user("a");
    User b = user("b");
    assertThatThrownBy(() -> store.block(a.id(), "nobody", clock.incrementAndGet()))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    store.block(a.id(), b.id(), clock.incrementAndGet());
    store.deleteUser(b.id());
    assertThat(store.blockedUsers(a.id())).isEmpty();
    assertThat(store.blockersByBlocked()).isEmpty();
  }

  @Test
  void mutesBelongToTheMembershipAndGoWithIt() {
    User a = user("a");
    User b = user("b");
    User outsider = user("o");
    ChatThread t = group(a, b);
    assertThat(store.setMuted(t.id(), b.id(), true)).isTrue();
    assertThat(store.setMuted(t.id(), outsider.id(), true)).isFalse();
    assertThat(store.mutedBy(t.id())).containsExactly(b.id());
    assertThat(store.mutedConversationIdsOf(b.id())).containsExactly(t.id());
    assertThat(store.mutedConversationIdsOf(a.id())).isEmpty();

    store.removeMember(t.id(), b.id());
    store.addMember(t.id(), b.id(), clock.incrementAndGet());
    assertThat(store.mutedBy(t.id())).isEmpty();
    assertThat(store.setMuted(t.id(), b.id(), true)).isTrue();
    assertThat(store.setMuted(t.id(), b.id(), false)).isTrue();
    assertThat(store.mutedBy(t.id())).isEmpty();
  }

  @Test
  void adminsAreListedOnTheThreadAndGoWithTheMembership() {
    User a = user("a");
    User b = user("b");
    User c = user("c");
    ChatThread t = group(a, b, c);
    assertThat(t.admins()).isEmpty();
    assertThat(store.setAdmin(t.id(), c.id(), true)).isTrue();
    assertThat(store.setAdmin(t.id(), b.id(), true)).isTrue();
    assertThat(store.setAdmin(t.id(), "nobody", true)).isFalse();

    // members who joined together are in id order
    List<String> both = b.id().compareTo(c.id()) < 0 ? List.of(b.id(), c.id()) : List.of(c.id(), b.id());
    assertThat(store.findThread(t.id()).orElseThrow().admins()).isEqualTo(both);
    assertThat(store.adminsOfConversationsOf(a.id())).isEqualTo(Map.of(t.id(), both));

    store.setAdmin(t.id(), c.id(), false);
    store.removeMember(t.id(), b.id());
    store.addMember(t.id(), b.id(), clock.incrementAndGet());
    assertThat(store.findThread(t.id()).orElseThrow().admins()).isEmpty();
    assertThat(store.adminsOfConversationsOf(a.id())).isEmpty();
  }

  @Test
  void renamesAThread() {
    User a = user("a");
    ChatThread t = group(a);
    assertThat(store.renameThread(t.id(), "<b>new</b>")).isTrue();
    assertThat(store.renameThread("nope", "x")).isFalse();
    assertThat(store.findThread(t.id()).orElseThrow().title()).isEqualTo("<b>new</b>");
  }
}
