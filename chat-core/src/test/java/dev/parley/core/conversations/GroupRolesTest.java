package dev.parley.core.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.ThreadSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract 7.4's group roles, renaming and muting, through the engine. */
class GroupRolesTest {
  private EngineFixture f;
  private ConversationService conversations;
  private TestUser owner;
  private TestUser admin;
  private TestUser member;
  private TestUser other;
  private ChatThread group;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0));
    conversations = f.engine().conversations();
    owner = f.register("owner");
    admin = f.register("admin");
    member = f.register("member");
    other = f.register("other");
    group = f.group(owner, admin, member, other);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ChatException.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void onlyTheCreatorNamesAdminsAndEveryMemberIsToldOfIt() {
    TestClient m = f.connect(member);
    TestClient o = f.connect(owner);

    conversations.setAdmin(owner.id(), group.id(), admin.id(), true);

    for (TestClient c : new TestClient[] {m, o}) {
      JsonNode event = c.connection().awaitFrame("thread");
      assertThat(event.path("thread").path("admins")).extracting(JsonNode::asText)
          .containsExactly(admin.id());
    }
    assertThat(conversations.get(member.id(), group.id()).admins()).containsExactly(admin.id());
    assertThat(conversations.isAdminOrCreator(group.id(), admin.id())).isTrue();
    assertThat(conversations.isAdminOrCreator(group.id(), owner.id())).isTrue();
    assertThat(conversations.isAdminOrCreator(group.id(), member.id())).isFalse();

    assertCode(() -> conversations.setAdmin(admin.id(), group.id(), member.id(), true), ErrorCode.FORBIDDEN);
    assertCode(() -> conversations.setAdmin(member.id(), group.id(), admin.id(), false), ErrorCode.FORBIDDEN);
    assertCode(() -> conversations.setAdmin(owner.id(), group.id(), "nobody", true), ErrorCode.NOT_FOUND);
    ChatThread direct = f.direct(owner, member);
    assertCode(() -> conversations.setAdmin(owner.id(), direct.id(), member.id(), true), ErrorCode.BAD_REQUEST);

    conversations.setAdmin(owner.id(), group.id(), admin.id(), false);
    assertThat(conversations.get(member.id(), group.id()).admins()).isEmpty();
    assertThat(conversations.isAdminOrCreator(group.id(), admin.id())).isFalse();
  }

  @Test
  void adminsRemoveMembersButNotTheCreatorNorAnotherAdmin() {
    conversations.setAdmin(owner.id(), group.id(), admin.id(), true);
    conversations.setAdmin(owner.id(), group.id(), other.id(), true);
    TestClient o = f.connect(owner);
    TestClient m = f.connect(member);

    assertCode(() -> conversations.removeMember(member.id(), group.id(), other.id()), ErrorCode.FORBIDDEN);
    assertCode(() -> conversations.removeMember(admin.id(), group.id(), owner.id()), ErrorCode.FORBIDDEN);
    assertCode(() -> conversations.removeMember(admin.id(), group.id(), other.id()), ErrorCode.FORBIDDEN);

    conversations.removeMember(admin.id(), group.id(), member.id());
    m.connection().awaitFrame("removed");
    JsonNode event = o.connection().awaitFrame("thread",
        t -> t.path("thread").path("members").size() == 3);
    assertThat(event.path("thread").path("id").asText()).isEqualTo(group.id());
    assertThat(m.connection().frames("thread")).isEmpty();

    conversations.removeMember(owner.id(), group.id(), other.id()); // the creator may remove an admin
    assertThat(conversations.get(owner.id(), group.id()).admins()).containsExactly(admin.id());
  }

  @Test
  void membersLeaveAndTheOthersAreTold() {
    TestClient o = f.connect(owner);
    conversations.removeMember(other.id(), group.id(), other.id());
    o.connection().awaitFrame("thread", t -> t.path("thread").path("members").size() == 3);
    assertCode(() -> conversations.get(other.id(), group.id()), ErrorCode.FORBIDDEN);
  }

  @Test
  void theCreatorAndAdminsRenameAndEveryMemberIsTold() {
    conversations.setAdmin(owner.id(), group.id(), admin.id(), true);
    TestClient m = f.connect(member);
    TestClient m2 = f.connect(member);

    ChatThread renamed = conversations.rename(admin.id(), group.id(), "<script>alert(8)</script>");
    assertThat(renamed.title()).isEqualTo("<script>alert(8)</script>");
    for (TestClient c : new TestClient[] {m, m2}) {
      c.connection().awaitFrame("thread",
          t -> t.path("thread").path("title").asText().equals("<script>alert(8)</script>"));
    }
    conversations.rename(owner.id(), group.id(), "by owner");
    assertThat(conversations.get(member.id(), group.id()).title()).isEqualTo("by owner");

    assertCode(() -> conversations.rename(member.id(), group.id(), "mine"), ErrorCode.FORBIDDEN);
    assertCode(() -> conversations.rename(owner.id(), group.id(), " "), ErrorCode.BAD_REQUEST);
    assertCode(() -> conversations.rename(owner.id(), group.id(), "x".repeat(201)), ErrorCode.BAD_REQUEST);
    assertCode(() -> conversations.rename(owner.id(), "no-such-thread", "x"), ErrorCode.NOT_FOUND);
    ChatThread direct = f.direct(owner, member);
    assertCode(() -> conversations.rename(owner.id(), direct.id(), "x"), ErrorCode.BAD_REQUEST);
  }

  @Test
  void muteShowsOnlyToTheUserWhoMuted() {
    TestClient m = f.connect(member);
    TestClient o = f.connect(owner);
    conversations.setMuted(member.id(), group.id(), true);

    assertThat(conversations.get(member.id(), group.id()).muted()).isTrue();
    assertThat(conversations.get(owner.id(), group.id()).muted()).isFalse();
    assertThat(conversations.list(member.id())).extracting(ThreadSummary::thread)
        .filteredOn(t -> t.id().equals(group.id())).extracting(ChatThread::muted).containsExactly(true);

    conversations.rename(owner.id(), group.id(), "new");
    assertThat(m.connection().awaitFrame("thread").path("thread").path("muted").asBoolean()).isTrue();
    assertThat(o.connection().awaitFrame("thread").path("thread").has("muted")).isFalse();

    conversations.setMuted(member.id(), group.id(), false);
    assertThat(conversations.get(member.id(), group.id()).muted()).isFalse();

    assertCode(() -> conversations.setMuted(member.id(), "no-such-thread", true), ErrorCode.NOT_FOUND);
    ChatThread notMine = f.group(owner, admin);
    assertCode(() -> conversations.setMuted(member.id(), notMine.id(), true), ErrorCode.FORBIDDEN);
  }
}
