package dev.parley.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.broker.InMemoryBroker;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.session.Session;
import dev.parley.core.session.SessionFactory;
import dev.parley.core.testing.RecordingConnection;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The registry of local sessions, users and conversations. */
class ConnectionRegistryTest {
  private final List<String> opened = new CopyOnWriteArrayList<>();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final ConnectionRegistry registry = new ConnectionRegistry(opened::add, closed::add);

  // sessions come from a factory over a registry of their own: this test drives `registry` itself
  private final ConnectionRegistry scratch = new ConnectionRegistry(t -> { }, t -> { });
  private final SessionFactory factory = new SessionFactory("n", 25, new FrameCodec(), scratch, null,
      null, new PresenceTracker(scratch, new InMemoryBroker(), null, Duration.ZERO), null, null,
      sid -> false);

  private Session session(String userId) {
    User user = new User(userId, userId, userId);
    return factory.open(new AuthenticatedUser(user, Long.MAX_VALUE), List.of(),
        new RecordingConnection(userId));
  }

  private static List<String> userIds(LocalConversation conversation) {
    List<String> ids = new ArrayList<>();
    for (LocalUser u : conversation.users()) {
      ids.add(u.userId());
    }
    return ids;
  }

  @Test
  void firstOpenAndLastCloseAreReported() {
    Session a1 = session("alice");
    Session a2 = session("alice");

    assertThat(registry.open(a1, List.of("t1"))).isTrue();
    assertThat(registry.open(a2, List.of("t1"))).isFalse();
    assertThat(registry.isOnline("alice")).isTrue();
    assertThat(registry.user("alice").sessions()).containsExactly(a1, a2);
    assertThat(registry.connectionCount()).isEqualTo(2);

    assertThat(registry.close(a1)).isFalse();
    assertThat(registry.isOnline("alice")).isTrue();
    assertThat(registry.close(a2)).isTrue();
    assertThat(registry.isOnline("alice")).isFalse();
    assertThat(registry.user("alice")).isNull();
    assertThat(registry.connectionCount()).isZero();
  }

  @Test
  void closingAnUnknownSessionChangesNothing() {
    Session a1 = session("alice");
    registry.open(a1, List.of("t1"));

    assertThat(registry.close(session("alice"))).isFalse();
    assertThat(registry.close(session("bob"))).isFalse();
    assertThat(registry.user("alice").sessions()).containsExactly(a1);
  }

  @Test
  void roomsOpenWithTheFirstLocalMemberAndCloseWithTheLast() {
    Session a = session("alice");
    Session b = session("bob");

    registry.open(a, List.of("t1", "t2"));
    registry.open(b, List.of("t1"));

    assertThat(opened).containsExactlyInAnyOrder("t1", "t2");
    assertThat(userIds(registry.conversation("t1"))).containsExactlyInAnyOrder("alice", "bob");
    assertThat(userIds(registry.conversation("t2"))).containsExactly("alice");

    registry.close(a);
    assertThat(closed).containsExactly("t2");
    assertThat(registry.conversation("t2")).isNull();
    assertThat(userIds(registry.conversation("t1"))).containsExactly("bob");

    registry.close(b);
    assertThat(closed).containsExactlyInAnyOrder("t1", "t2");
    assertThat(registry.conversation("t1")).isNull();
  }

  @Test
  void joinAndLeaveChangeTheRoomsOfAConnectedUser() {
    Session a = session("alice");
    registry.open(a, List.of("t1"));

    LocalUser joined = registry.join("alice", "t2");
    assertThat(joined.isMemberOf("t2")).isTrue();
    assertThat(opened).containsExactly("t1", "t2");
    assertThat(userIds(registry.conversation("t2"))).containsExactly("alice");

    registry.join("alice", "t2");
    assertThat(opened).containsExactly("t1", "t2");
    assertThat(registry.conversation("t2").users()).hasSize(1);

    LocalUser left = registry.leave("alice", "t1");
    assertThat(left.isMemberOf("t1")).isFalse();
    assertThat(closed).containsExactly("t1");
    assertThat(registry.conversation("t1")).isNull();
    assertThat(registry.leave("alice", "t1")).isSameAs(left);
    assertThat(closed).containsExactly("t1");

    assertThat(left.conversationIds()).containsExactly("t2");
  }

  @Test
  void joinAndLeaveIgnoreUsersWithoutALocalConnection() {
    assertThat(registry.join("ghost", "t1")).isNull();
    assertThat(registry.leave("ghost", "t1")).isNull();
    assertThat(opened).isEmpty();
    assertThat(registry.conversation("t1")).isNull();
  }

  @Test
  void roomCallbacksRunOutsideTheRegistryLocks() throws Exception {
    List<LocalUser> joinedFromAnotherThread = new CopyOnWriteArrayList<>();
    AtomicReference<ConnectionRegistry> self = new AtomicReference<>();
    // the callback changes the same user from another thread and waits: under a map lock, it hangs
    self.set(new ConnectionRegistry(conversationId -> {
      if (conversationId.equals("t1")) {
        joinedFromAnotherThread.add(CompletableFuture
            .supplyAsync(() -> self.get().join("alice", "t2"))
            .orTimeout(5, TimeUnit.SECONDS).join());
      }
    }, conversationId -> { }));
    Session a = session("alice");
    self.get().open(a, List.of("t0"));

    self.get().join("alice", "t1");

    assertThat(joinedFromAnotherThread).hasSize(1);
    assertThat(self.get().user("alice").isMemberOf("t2")).isTrue();
  }

  @Test
  void racingOpensAndClosesOfARoomLeaveItSubscribedIffItHasMembers() throws Exception {
    // interest counted per conversation, as the Redis subscriber counts it: opens and closes may be
    // reported in either order, but none may be lost or doubled
    ConcurrentHashMap<String, AtomicInteger> interest = new ConcurrentHashMap<>();
    ConnectionRegistry counted = new ConnectionRegistry(
        t -> interest.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet(),
        t -> interest.computeIfAbsent(t, k -> new AtomicInteger()).decrementAndGet());
    int rounds = 2_000;
    CyclicBarrier start = new CyclicBarrier(2);
    Runnable churn = () -> {
      String userId = Thread.currentThread().getName();
      try {
        start.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      for (int i = 0; i < rounds; i++) {
        Session s = session(userId);
        counted.open(s, List.of("t1"));
        counted.close(s);
      }
    };
    Thread alice = new Thread(churn, "alice");
    Thread bob = new Thread(churn, "bob");
    alice.start();
    bob.start();
    alice.join();
    bob.join();

    assertThat(counted.conversation("t1")).isNull();
    assertThat(interest.get("t1").get()).isZero();

    Session stays = session("carol");
    counted.open(stays, List.of("t1"));
    assertThat(interest.get("t1").get()).isEqualTo(1);
  }
}
