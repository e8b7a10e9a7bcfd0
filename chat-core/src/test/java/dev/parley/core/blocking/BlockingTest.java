package dev.parley.core.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestClient;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract 7.4 through the engine: while Ann blocks Ben, Ben cannot reach Ann in their direct
 * thread (WebSocket or the host's {@code post}), cannot open one, add her or list her in a new
 * group, and gets none of her typing or presence; their shared group works as before.
 */
class BlockingTest {
  private EngineFixture f;
  private TestUser ann;
  private TestUser ben;
  private TestUser cat;
  private ChatThread direct;
  private ChatThread shared;

  @BeforeEach
  void setUp() {
    f = EngineFixture.create(c -> c.rateLimit(0).presenceGrace(Duration.ZERO));
    ann = f.register("ann");
    ben = f.register("ben");
    cat = f.register("cat");
    direct = f.direct(ann, ben);
    shared = f.group(cat, ann, ben);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private BlockService blocks() {
    return f.engine().blocks();
  }

  private static ErrorCode codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException ? t.getCause() : t;
    return ((ChatException) cause).code();
  }

  @Test
  void theBlockedUserCannotSendInTheDirectThreadButTheBlockerAndTheGroupStillCan() {
    TestClient a = f.connect(ann);
    TestClient b = f.connect(ben);
    blocks().block(ann.id(), ben.id());

    JsonNode refused = b.sendAndAwait(direct.id(), "hello?");
    assertThat(refused.path("type").asText()).isEqualTo("error");
    assertThat(refused.path("code").asText()).isEqualTo("forbidden");
    assertThatThrownBy(() -> f.engine().messages().post(ben.id(), direct.id(), "via host").join())
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN));

    assertThat(a.sendAndAwait(direct.id(), "I may still write").path("type").asText()).isEqualTo("ack");
    assertThat(b.sendAndAwait(shared.id(), "group works").path("type").asText()).isEqualTo("ack");
    a.connection().awaitFrame("message", m -> m.path("body").asText().equals("group works"));
    assertThat(a.connection().messages(direct.id())).extracting(m -> m.path("body").asText())
        .containsExactly("I may still write");

    blocks().unblock(ann.id(), ben.id());
    assertThat(b.sendAndAwait(direct.id(), "thanks").path("type").asText()).isEqualTo("ack");
  }

  @Test
  void theBlockedUserCannotOpenTheDirectThreadAddTheBlockerOrListHerInAGroup() {
    blocks().block(ann.id(), ben.id());
    ChatThread bensGroup = f.group(ben, cat);

    assertThatThrownBy(() -> f.engine().conversations().direct(ben.id(), ann.id()))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN));
    assertThatThrownBy(() -> f.engine().conversations().addMember(ben.id(), bensGroup.id(), ann.id()))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN));
    assertThatThrownBy(() -> f.engine().conversations().createGroup(ben.id(), "g", List.of(ann.id())))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN));
    // one way: the blocker may still do all of it
    assertThat(f.engine().conversations().direct(ann.id(), ben.id()).thread().id()).isEqualTo(direct.id());
    f.engine().conversations().createGroup(ann.id(), "g", List.of(ben.id()));
  }

  @Test
  void theBlockedUserGetsNoTypingOrPresenceOfTheBlocker() {
    TestClient b = f.connect(ben);
    TestClient c = f.connect(cat);
    blocks().block(ann.id(), ben.id());

    TestClient a = f.connect(ann);
    c.connection().awaitFrame("presence", p -> p.path("user").asText().equals(ann.id()));
    a.push(a.frame("typing").put("thread", shared.id()));
    c.connection().awaitFrame("typing");
    // a barrier: published after the presence event and the typing, it reaches ben after them
    a.sendAndAwait(shared.id(), "barrier");
    b.connection().awaitFrame("message", m -> m.path("body").asText().equals("barrier"));
    assertThat(b.connection().frames("typing")).isEmpty();
    assertThat(b.connection().frames("presence"))
        .noneMatch(p -> p.path("user").asText().equals(ann.id()));

    b.push("{\"type\":\"presence\",\"id\":\"q\",\"users\":[\"" + ann.id() + "\",\"" + cat.id() + "\"]}");
    JsonNode answer = b.connection().awaitReply("q");
    assertThat(answer.path("users").path(ann.id()).asText()).isEqualTo("offline");
    assertThat(answer.path("users").path(cat.id()).asText()).isEqualTo("online");

    // ann still sees ben's
    b.push(b.frame("typing").put("thread", shared.id()));
    a.connection().awaitFrame("typing", t -> t.path("user").asText().equals(ben.id()));
    a.push("{\"type\":\"presence\",\"id\":\"q2\",\"users\":[\"" + ben.id() + "\"]}");
    assertThat(a.connection().awaitReply("q2").path("users").path(ben.id()).asText()).isEqualTo("online");
  }

  @Test
  void blocksAreIdempotentListedAndRefusedForYourselfAndUnknownUsers() {
    blocks().block(ann.id(), ben.id());
    blocks().block(ann.id(), ben.id());
    // the list is in the order of blocking, to the millisecond: let the clock move on, or the
    // two blocks may share one and list in id order
    long benBlocked = System.currentTimeMillis();
    await().until(() -> System.currentTimeMillis() > benBlocked);
    blocks().block(ann.id(), cat.id());
    assertThat(blocks().blocked(ann.id())).extracting(User::id).containsExactly(ben.id(), cat.id());
    blocks().unblock(ann.id(), cat.id());
    blocks().unblock(ann.id(), cat.id());
    assertThat(blocks().blocked(ann.id())).extracting(User::id).containsExactly(ben.id());

    assertThatThrownBy(() -> blocks().block(ann.id(), ann.id()))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> blocks().block(ann.id(), "no-such-user"))
        .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_FOUND));
  }
}
