package dev.parley.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.auth.TokenPair;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.User;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registration, login, refresh and disabling of the built-in accounts. */
class AccountServiceTest {
  private EngineFixture f;
  private AccountService accounts;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create();
    accounts = f.accounts();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static void assertFails(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(ChatException.class)
        .extracting(e -> ((ChatException) e).code()).isEqualTo(code);
  }

  @Test
  void registersWithTheUsernameAsDisplayNameByDefault() {
    User u = accounts.register("Alice.B-1_x", "long enough", null);

    assertThat(u.id()).isNotBlank();
    assertThat(u.username()).isEqualTo("Alice.B-1_x");
    assertThat(u.displayName()).isEqualTo("Alice.B-1_x");
    assertThat(accounts.register("bob", "long enough", "  Bob B  ").displayName()).isEqualTo("Bob B");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Eve\u202Eevil", "tab\there", "new\nline", "zero\u200Bwidth", "bell\u0007"})
  void refusesDisplayNamesThatCouldDisguiseThemselvesAtRegistrationToo(String displayName) {
    assertFails(ErrorCode.BAD_REQUEST, () -> accounts.register("mallory", "long enough", displayName));
    assertFails(ErrorCode.BAD_REQUEST, () -> accounts.createManagedUser("mallory", displayName));
  }

  @Test
  void keepsJoinersThatEmojiAndScriptsNeed() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 Family";
    assertThat(accounts.register("family", "long enough", family).displayName()).isEqualTo(family);
    assertThat(accounts.createManagedUser("persian", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645").displayName())
        .isEqualTo("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "a b", "émile", "with/slash", "x23456789012345678901234567890123", ""})
  void refusesUsernamesOutsideThePattern(String username) {
    assertFails(ErrorCode.BAD_REQUEST, () -> accounts.register(username, "long enough", null));
  }

  @Test
  void acceptsUsernamesAtTheLengthBounds() {
    accounts.register("abc", "long enough", null);
    accounts.register("x".repeat(32), "long enough", null);
  }

  @Test
  void refusesPasswordsUnderEightCharacters() {
    assertFails(ErrorCode.BAD_REQUEST, () -> accounts.register("alice", "1234567", null));
    assertFails(ErrorCode.BAD_REQUEST, () -> accounts.register("alice", null, null));
    accounts.register("alice", "12345678", null);
  }

  @Test
  void usernamesConflictRegardlessOfCase() {
    accounts.register("alice", "long enough", null);

    assertFails(ErrorCode.CONFLICT, () -> accounts.register("ALICE", "long enough", null));
    assertFails(ErrorCode.CONFLICT, () -> accounts.register("alice", "long enough", null));
  }

  @Test
  void logsInRegardlessOfCaseWithTheRightPassword() {
    User u = accounts.register("Alice", "correct horse", null);

    TokenPair pair = accounts.login("aLiCe", "correct horse");

    assertThat(f.tokens().verifyAccess(pair.access()).userId()).isEqualTo(u.id());
    assertThat(f.tokens().verifyRefresh(pair.refresh()).userId()).isEqualTo(u.id());
    assertThat(pair.expiresIn()).isEqualTo(EngineFixture.ACCESS_TTL.toSeconds());
  }

  @Test
  void refusesAWrongPasswordAndAnUnknownUserAlike() {
    accounts.register("alice", "correct horse", null);

    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.login("alice", "wrong horse"));
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.login("nobody", "correct horse"));
  }

  @Test
  void refreshesWithARefreshTokenButNotWithAnAccessToken() {
    TestUser alice = f.register("alice");

    TokenPair fresh = accounts.refresh(alice.tokens().refresh());

    assertThat(f.tokens().verifyAccess(fresh.access()).userId()).isEqualTo(alice.id());
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.refresh(alice.tokens().access()));
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.refresh("garbage"));
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.refresh(""));
  }

  @Test
  void disablingClosesTheUsersConnectionsWith4403AndRefusesItsTokens() {
    TestUser alice = f.register("alice");
    TestUser bob = f.register("bob");
    TestClient a1 = f.connect(alice);
    TestClient a2 = f.connect(alice);
    TestClient b = f.connect(bob);

    accounts.setDisabled(alice.id(), true);

    assertThat(a1.connection().awaitClosed()).isEqualTo(CloseCodes.USER_DISABLED);
    assertThat(a2.connection().awaitClosed()).isEqualTo(4403);
    assertThat(b.connection().isClosed()).isFalse();
    assertThat(f.engine().isConnected(alice.id())).isFalse();
    assertFails(ErrorCode.UNAUTHORIZED, () -> f.engine().authenticator().authenticate(alice.tokens().access()));
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.refresh(alice.tokens().refresh()));
    assertFails(ErrorCode.UNAUTHORIZED, () -> accounts.login("alice", alice.password()));

    accounts.setDisabled(alice.id(), false);
    assertThat(f.engine().authenticator().authenticate(alice.tokens().access()).id()).isEqualTo(alice.id());
  }

  @Test
  void deletingClosesTheUsersConnectionsWith4403() {
    TestUser alice = f.register("alice");
    TestClient a = f.connect(alice);

    assertThat(accounts.delete(alice.id())).isTrue();

    assertThat(a.connection().awaitClosed()).isEqualTo(4403);
    assertFails(ErrorCode.UNAUTHORIZED, () -> f.engine().authenticator().authenticate(alice.tokens().access()));
    assertThat(accounts.delete(alice.id())).isFalse();
  }
}
