package dev.parley.core.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract's thread and membership rules, on a real SQLite store. */
class ConversationServiceTest {
  private EngineFixture f;
  private ConversationService conversations;
  private TestUser alice;
  private TestUser bob;
  private TestUser carol;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create();
    conversations = f.engine().conversations();
    alice = f.register("alice");
    bob = f.register("bob");
    carol = f.register("carol");
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
  void createsAGroupWithTheCreatorAndWithoutDuplicates() {
    ChatThread g = conversations.createGroup(alice.id(), "team", List.of(bob.id(), bob.id(), alice.id()));

    assertThat(g.kind()).isEqualTo(ChatThread.GROUP);
    assertThat(g.title()).isEqualTo("team");
    assertThat(g.creator()).isEqualTo(alice.id());
    assertThat(g.members()).extracting(User::id).containsExactlyInAnyOrder(alice.id(), bob.id());
  }

  @Test
  void refusesAGroupWithoutTitleOrWithAnUnknownMember() {
    assertFails(ErrorCode.BAD_REQUEST, () -> conversations.createGroup(alice.id(), " ", List.of()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.createGroup(alice.id(), "t", List.of("ghost")));
  }

  @Test
  void directIsCreatedOnceAndThenReturnedAgain() {
    DirectThreadResult first = conversations.direct(alice.id(), bob.id());
    DirectThreadResult again = conversations.direct(bob.id(), alice.id());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.thread().id()).isEqualTo(first.thread().id());
    assertThat(first.thread().isDirect()).isTrue();
    assertThat(first.thread().members()).extracting(User::id)
        .containsExactlyInAnyOrder(alice.id(), bob.id());
  }

  @Test
  void directWithOneselfIsBadRequestAndWithAnUnknownUserNotFound() {
    assertFails(ErrorCode.BAD_REQUEST, () -> conversations.direct(alice.id(), alice.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.direct(alice.id(), "ghost"));
  }

  @Test
  void getIsNotFoundForUnknownAndForbiddenForNonMembers() {
    ChatThread g = f.group(alice, bob);

    assertThat(conversations.get(bob.id(), g.id()).id()).isEqualTo(g.id());
    assertFails(ErrorCode.FORBIDDEN, () -> conversations.get(carol.id(), g.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.get(alice.id(), "nope"));
    assertFails(ErrorCode.FORBIDDEN, () -> conversations.requireMember(carol.id(), g.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.requireMember(carol.id(), "nope"));
  }

  @Test
  void anyMemberAddsMembersAndAddingAMemberTwiceChangesNothing() {
    ChatThread g = f.group(alice, bob);

    ChatThread added = conversations.addMember(bob.id(), g.id(), carol.id());
    ChatThread again = conversations.addMember(alice.id(), g.id(), carol.id());

    assertThat(added.members()).extracting(User::id).contains(carol.id());
    assertThat(again.members()).hasSameSizeAs(added.members());
    assertThat(f.store().memberIds(g.id())).containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id());
  }

  @Test
  void addingToADirectThreadIsBadRequestAndByANonMemberForbidden() {
    ChatThread d = f.direct(alice, bob);
    ChatThread g = f.group(alice, bob);

    assertFails(ErrorCode.BAD_REQUEST, () -> conversations.addMember(alice.id(), d.id(), carol.id()));
    assertFails(ErrorCode.FORBIDDEN, () -> conversations.addMember(carol.id(), g.id(), carol.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.addMember(alice.id(), g.id(), "ghost"));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.addMember(alice.id(), "nope", carol.id()));
  }

  @Test
  void onlyTheCreatorRemovesOthersAndAnyMemberRemovesItself() {
    ChatThread g = f.group(alice, bob, carol);

    assertFails(ErrorCode.FORBIDDEN, () -> conversations.removeMember(bob.id(), g.id(), carol.id()));
    conversations.removeMember(bob.id(), g.id(), bob.id());
    conversations.removeMember(alice.id(), g.id(), carol.id());

    assertThat(f.store().memberIds(g.id())).containsExactly(alice.id());
  }

  @Test
  void removingFollowsTheContractsOrderOfErrors() {
    ChatThread d = f.direct(alice, bob);
    ChatThread g = f.group(alice, bob);

    assertFails(ErrorCode.BAD_REQUEST, () -> conversations.removeMember(alice.id(), d.id(), bob.id()));
    assertFails(ErrorCode.FORBIDDEN, () -> conversations.removeMember(carol.id(), g.id(), bob.id()));
    assertFails(ErrorCode.FORBIDDEN, () -> conversations.removeMember(carol.id(), g.id(), carol.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.removeMember(alice.id(), g.id(), carol.id()));
    assertFails(ErrorCode.NOT_FOUND, () -> conversations.removeMember(alice.id(), "nope", bob.id()));
  }
}
