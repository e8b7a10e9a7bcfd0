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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The registry of local sessions, users and rooms. */
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

  private static List<String> userIds(Room room) {
    List<String> ids = new ArrayList<>();
    for (LocalUser u : room.users()) {
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
    assertThat(userIds(registry.room("t1"))).containsExactlyInAnyOrder("alice", "bob");
    assertThat(userIds(registry.room("t2"))).containsExactly("alice");

    registry.close(a);
    assertThat(closed).containsExactly("t2");
    assertThat(registry.room("t2")).isNull();
    assertThat(userIds(registry.room("t1"))).containsExactly("bob");

    registry.close(b);
    assertThat(closed).containsExactlyInAnyOrder("t1", "t2");
    assertThat(registry.room("t1")).isNull();
  }

  @Test
  void joinAndLeaveChangeTheRoomsOfAConnectedUser() {
    Session a = session("alice");
    registry.open(a, List.of("t1"));

    LocalUser joined = registry.join("alice", "t2");
    assertThat(joined.isMemberOf("t2")).isTrue();
    assertThat(opened).containsExactly("t1", "t2");
    assertThat(userIds(registry.room("t2"))).containsExactly("alice");

    registry.join("alice", "t2");
    assertThat(opened).containsExactly("t1", "t2");
    assertThat(registry.room("t2").users()).hasSize(1);

    LocalUser left = registry.leave("alice", "t1");
    assertThat(left.isMemberOf("t1")).isFalse();
    assertThat(closed).containsExactly("t1");
    assertThat(registry.room("t1")).isNull();
    assertThat(registry.leave("alice", "t1")).isSameAs(left);
    assertThat(closed).containsExactly("t1");

    assertThat(left.threadIds()).containsExactly("t2");
  }

  @Test
  void joinAndLeaveIgnoreUsersWithoutALocalConnection() {
    assertThat(registry.join("ghost", "t1")).isNull();
    assertThat(registry.leave("ghost", "t1")).isNull();
    assertThat(opened).isEmpty();
    assertThat(registry.room("t1")).isNull();
  }
}
