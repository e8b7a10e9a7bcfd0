package dev.parley.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.TokenPair;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.RecordingConnection;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.User;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A session's id, and what a user's sessions on one node share. */
class SessionIdentityTest {
  private EngineFixture f;
  private TestUser alice;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create();
    alice = f.register("alice");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void anIdIsTheNodeADashAndANumberAndOnlyThatStringMatchesIt() {
    Session s = new Session("node-a-", 407, new User("u", "u", "u"), Long.MAX_VALUE, null,
        new RecordingConnection("s"), null);
    assertThat(s.id()).isEqualTo("node-a-407");
    assertThat(s.hasId("node-a-407")).isTrue();
    assertThat(s.hasId(new String("node-a-407"))).isTrue();
    for (String other : new String[] {null, "", "node-a-", "node-a-40", "node-a-4070", "node-a-0407",
        "node-b-407", "node-a407", "node-a-407 ", "node-a-+407", "node-a-40x", "xnode-a-407",
        "node-a-99999999999999999999999"}) {
      assertThat(s.hasId(other)).as(other).isFalse();
    }
    Session zero = new Session("n-", 0, new User("u", "u", "u"), Long.MAX_VALUE, null,
        new RecordingConnection("z"), null);
    assertThat(zero.hasId("n-0")).isTrue();
    assertThat(zero.hasId("n-00")).isFalse();
  }

  @Test
  void everySessionOfTheNodeHasItsOwnId() {
    TestClient a1 = f.connect(alice);
    TestClient a2 = f.connect(alice);
    assertThat(a1.session().id()).isNotEqualTo(a2.session().id());
    assertThat(a1.session().hasId(a2.session().id())).isFalse();
    assertThat(a2.session().hasId(a2.session().id())).isTrue();
  }

  @Test
  void aUsersConnectionsShareOneCopyOfTheProfileAndOfTheirLoginsId() {
    TestClient a1 = f.connect(alice);
    TestClient a2 = f.connect(alice); // the same token: one login
    assertThat(a2.session().user()).isSameAs(a1.session().user());
    assertThat(a2.session().loginSessionId()).isNotNull().isSameAs(a1.session().loginSessionId());

    // another device: another login of the same user
    TokenPair again = f.accounts().login(alice.username(), alice.password());
    Session a3 = f.engine().sessions().open(f.engine().authenticator().authenticate(again.access()),
        List.of(), new RecordingConnection("a3"));
    assertThat(a3.user()).isSameAs(a1.session().user());
    assertThat(a3.loginSessionId()).isNotEqualTo(a1.session().loginSessionId());
  }

  @Test
  void aChangedProfileIsNotReplacedByAnOlderCopy() {
    TestClient a1 = f.connect(alice);
    User renamed = new User(alice.id(), alice.username(), "Alice Renamed");
    Session a2 = f.engine().sessions().open(new AuthenticatedUser(renamed, Long.MAX_VALUE), List.of(),
        new RecordingConnection("a2"));
    assertThat(a2.user()).isSameAs(renamed);
    assertThat(a1.session().user().displayName()).isNotEqualTo("Alice Renamed");
  }
}
