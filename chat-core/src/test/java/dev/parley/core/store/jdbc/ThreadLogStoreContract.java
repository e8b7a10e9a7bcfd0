package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.testing.TestDatabase;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The thread log in the store (contract 7.2): changes are entries sharing the thread's seq,
 * checked in the commit transaction, and history, sync and the thread list see messages in
 * their current state. Subclasses say which database.
 */
abstract class ThreadLogStoreContract {
  private final AtomicLong clock = new AtomicLong(1_000);
  TestDatabase db;
  JdbcChatStore store;
  User alice;
  User bob;
  User carol;
  ChatThread group;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    db = newDatabase();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
    alice = store.createUser("alice", "A", "h", now());
    bob = store.createUser("bob", "B", "h", now());
    carol = store.createUser("carol", "C", "h", now());
    group = store.createGroup("g", alice.id(), List.of(alice.id(), bob.id()), now());
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  long now() {
    return clock.incrementAndGet();
  }

  PendingMessage message(String thread, User sender, String body, String clientId, Long replyTo,
                         Attachment... attachments) {
    return new PendingMessage(Ids.newId(), thread, sender.id(), body, now(), clientId,
        List.of(attachments), replyTo, null);
  }

  PendingMessage change(User sender, Change change, String body, String clientId) {
    return new PendingMessage(Ids.newId(), group.id(), sender.id(), body == null ? "" : body, now(),
        clientId, List.of(), null, change);
  }

  AppendResult one(PendingMessage p) {
    return store.appendBatch(List.of(p)).get(0);
  }

  Message send(User sender, String body) {
    return one(message(group.id(), sender, body, null, null)).message();
  }

  long lastSeq() {
    return store.findThread(group.id()).orElseThrow().lastSeq();
  }

  void refused(PendingMessage p, ErrorCode code) {
    long before = lastSeq();
    List<Message> log = store.messagesAfter(group.id(), 0, 1000);
    AppendResult r = one(p);
    assertThat(r.error()).as("refused").isNotNull();
    assertThat(r.error().code()).isEqualTo(code);
    assertThat(r.message()).isNull();
    assertThat(lastSeq()).as("nothing stored").isEqualTo(before);
    assertThat(store.messagesAfter(group.id(), 0, 1000)).isEqualTo(log);
  }

  @Test
  void changesShareTheThreadsSeqAndHistoryShowsTheCurrentState() {
    Message m1 = send(alice, "helo");
    Message edit = one(change(alice, Change.edited(1), "hello", null)).message();
    assertThat(edit.seq()).isEqualTo(2);
    assertThat(edit.change()).isEqualTo(Change.edited(1));
    Message reply = one(message(group.id(), bob, "hi", null, 1L)).message();
    assertThat(reply.seq()).isEqualTo(3);
    assertThat(reply.replyTo()).isEqualTo(1L);
    AppendResult thumbs = one(change(bob, Change.reaction(1, "👍", true), null, null));
    assertThat(thumbs.message().seq()).isEqualTo(4);
    one(change(alice, Change.reaction(1, "👍", true), null, null));
    one(change(alice, Change.reaction(1, "🎉", true), null, null));
    assertThat(lastSeq()).isEqualTo(6);

    MessagePage page = store.history(group.id(), null, null, 50);
    assertThat(page.messages()).extracting(Message::seq).containsExactly(1L, 3L);
    Message current = page.messages().get(0);
    assertThat(current.body()).isEqualTo("hello");
    assertThat(current.editedAt()).isEqualTo(edit.ts());
    assertThat(current.id()).isEqualTo(m1.id());
    assertThat(current.reactions()).containsExactly(
        Map.entry("👍", List.of(bob.id(), alice.id())), Map.entry("🎉", List.of(alice.id())));
    assertThat(page.messages().get(1).replyTo()).isEqualTo(1L);

    // before/after are log seqs, limit counts messages
    assertThat(store.history(group.id(), 3L, null, 1).messages()).extracting(Message::seq).containsExactly(1L);
    assertThat(store.history(group.id(), null, 1L, 1).messages()).extracting(Message::seq).containsExactly(3L);
    assertThat(store.history(group.id(), null, 1L, 1).hasMore()).isFalse();

    // sync replays every entry
    assertThat(store.messagesAfter(group.id(), 0, 100)).extracting(Message::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(store.messagesAfter(group.id(), 3, 100).get(0).change())
        .isEqualTo(Change.reaction(1, "👍", true));
  }

  @Test
  void aReactionThatChangesNothingStoresNothing() {
    send(alice, "x");
    assertThat(one(change(bob, Change.reaction(1, "👍", false), null, null)).changed()).isFalse();
    one(change(bob, Change.reaction(1, "👍", true), null, null));
    AppendResult again = one(change(bob, Change.reaction(1, "👍", true), null, null));
    assertThat(again.changed()).isFalse();
    assertThat(again.error()).isNull();
    assertThat(again.delivers()).isFalse();
    assertThat(again.message().seq()).isEqualTo(2);
    assertThat(lastSeq()).isEqualTo(2);
    AppendResult off = one(change(bob, Change.reaction(1, "👍", false), null, null));
    assertThat(off.changed()).isTrue();
    assertThat(off.message().seq()).isEqualTo(3);
    assertThat(store.history(group.id(), null, null, 10).messages().get(0).reactions()).isEmpty();
  }

  @Test
  void reactionsInOneBatchApplyInOrder() {
    send(alice, "x");
    List<AppendResult> results = store.appendBatch(List.of(
        change(bob, Change.reaction(1, "👍", true), null, null),
        change(bob, Change.reaction(1, "👍", true), null, null),
        change(bob, Change.reaction(1, "👍", false), null, null),
        change(bob, Change.reaction(1, "👍", true), null, null),
        change(alice, Change.reaction(1, "👍", true), null, null)));
    assertThat(results).extracting(AppendResult::changed).containsExactly(true, false, true, true, true);
    assertThat(lastSeq()).isEqualTo(5);
    assertThat(store.history(group.id(), null, null, 10).messages().get(0).reactions())
        .containsExactly(Map.entry("👍", List.of(bob.id(), alice.id())));
  }

  @Test
  void aStormOfReactionsIsOneBatch() {
    send(alice, "x");
    List<PendingMessage> storm = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      storm.add(change(i % 2 == 0 ? alice : bob, Change.reaction(1, "e" + i, true), null, null));
    }
    List<AppendResult> results = store.appendBatch(storm);
    // 20 distinct emoji per user per message: the rest are refused, nothing else is lost
    assertThat(results.stream().filter(r -> r.error() == null).count()).isEqualTo(40);
    assertThat(results.stream().filter(r -> r.error() != null)
        .allMatch(r -> r.error().code() == ErrorCode.BAD_REQUEST)).isTrue();
    assertThat(lastSeq()).isEqualTo(41);
    assertThat(store.history(group.id(), null, null, 10).messages().get(0).reactions()).hasSize(40);
  }

  @Test
  void theRulesAndTheirErrorsInOrder() {
    send(alice, "mine");
    one(change(alice, Change.edited(1), "mine!", null));
    ChatThread other = store.createGroup("o", alice.id(), List.of(alice.id(), bob.id()), now());
    one(message(other.id(), alice, "elsewhere 1", null, null));
    one(message(other.id(), alice, "elsewhere 2", null, null));
    one(message(other.id(), alice, "elsewhere 3", null, null));

    // not a message of the thread: a change entry, a missing seq, a seq of another thread only
    refused(change(alice, Change.edited(2), "x", null), ErrorCode.NOT_FOUND);
    refused(change(alice, Change.deleted(3), null, null), ErrorCode.NOT_FOUND);
    refused(change(alice, Change.reaction(0, "👍", true), null, null), ErrorCode.NOT_FOUND);
    refused(change(alice, Change.reaction(99, "👍", true), null, null), ErrorCode.NOT_FOUND);
    refused(message(group.id(), bob, "re", null, 2L), ErrorCode.NOT_FOUND);
    refused(message(group.id(), bob, "re", null, 7L), ErrorCode.NOT_FOUND);
    // the target is checked before the emoji
    refused(change(alice, Change.reaction(99, "a b", true), null, null), ErrorCode.NOT_FOUND);

    // not allowed
    refused(change(bob, Change.edited(1), "x", null), ErrorCode.FORBIDDEN);
    Message bobs = send(bob, "bob's");
    refused(change(alice, Change.edited(bobs.seq()), "x", null), ErrorCode.FORBIDDEN);
    // an edit of a message without attachments may not empty it
    refused(change(alice, Change.edited(1), "", null), ErrorCode.BAD_REQUEST);

    // emoji
    refused(change(bob, Change.reaction(1, "", true), null, null), ErrorCode.BAD_REQUEST);
    refused(change(bob, Change.reaction(1, "a b", true), null, null), ErrorCode.BAD_REQUEST);
    refused(change(bob, Change.reaction(1, "a\u00a0", true), null, null), ErrorCode.BAD_REQUEST);
    refused(change(bob, Change.reaction(1, "x".repeat(33), true), null, null), ErrorCode.BAD_REQUEST);
    assertThat(one(change(bob, Change.reaction(1, "x".repeat(32), true), null, null)).error()).isNull();
    for (int i = 1; i < 20; i++) {
      assertThat(one(change(bob, Change.reaction(1, "e" + i, true), null, null)).error()).isNull();
    }
    refused(change(bob, Change.reaction(1, "e20", true), null, null), ErrorCode.BAD_REQUEST);
    // the limit is per user and message
    assertThat(one(change(alice, Change.reaction(1, "e20", true), null, null)).error()).isNull();

    // deleted: replies still allowed, changes conflict (before "not allowed")
    assertThat(one(change(bob, Change.deleted(bobs.seq()), null, null)).error()).isNull();
    refused(change(bob, Change.edited(bobs.seq()), "x", null), ErrorCode.CONFLICT);
    refused(change(alice, Change.edited(bobs.seq()), "x", null), ErrorCode.CONFLICT);
    refused(change(bob, Change.deleted(bobs.seq()), null, null), ErrorCode.CONFLICT);
    refused(change(bob, Change.reaction(bobs.seq(), "a b", true), null, null), ErrorCode.CONFLICT);
    assertThat(one(message(group.id(), alice, "re", null, bobs.seq())).error()).isNull();
  }

  @Test
  void theGroupsCreatorMayDeleteAnyMessageOthersOnlyTheirOwn() {
    Message bobs = send(bob, "b");
    Message alices = send(alice, "a");
    store.addMember(group.id(), carol.id(), now());
    Message carols = send(carol, "c");
    assertThat(one(change(carol, Change.deleted(bobs.seq()), null, null)).error().code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(one(change(bob, Change.deleted(alices.seq()), null, null)).error().code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(one(change(alice, Change.deleted(carols.seq()), null, null)).error()).isNull();
    assertThat(one(change(bob, Change.deleted(bobs.seq()), null, null)).error()).isNull();
  }

  @Test
  void clientIdsOfSendsAndChangesShareOneNamespace() {
    Message first = one(message(group.id(), alice, "x", "c1", null)).message();
    AppendResult repeat = one(change(alice, Change.edited(1), "y", "c1"));
    assertThat(repeat.duplicate()).isTrue();
    assertThat(repeat.message()).isEqualTo(first);
    Message edit = one(change(alice, Change.edited(1), "y", "c2")).message();
    List<AppendResult> again = store.appendBatch(List.of(
        change(alice, Change.edited(1), "z", "c2"), message(group.id(), alice, "w", "c2", null)));
    assertThat(again).allMatch(AppendResult::duplicate);
    assertThat(again.get(0).message().seq()).isEqualTo(edit.seq());
    assertThat(lastSeq()).isEqualTo(2);
    // another sender's clientId is its own
    assertThat(one(change(bob, Change.reaction(1, "👍", true), null, "c1")).duplicate()).isFalse();
  }

  @Test
  void aResentChangeGetsTheStoredEntryEvenWhereTheLogWouldNowJudgeItOtherwise() {
    send(alice, "x");
    Message reaction = one(change(bob, Change.reaction(1, "👍", true), null, "r1")).message();
    Message edit = one(change(alice, Change.edited(1), "y", "e1")).message();
    one(change(alice, Change.deleted(1), null, null));
    // the reaction is on already, and the edited message is gone: the resends are still repeats
    AppendResult again = one(change(bob, Change.reaction(1, "👍", true), null, "r1"));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).isEqualTo(reaction);
    AppendResult editAgain = one(change(alice, Change.edited(1), "y", "e1"));
    assertThat(editAgain.duplicate()).isTrue();
    assertThat(editAgain.message().seq()).isEqualTo(edit.seq());
  }

  @Test
  void aRefusedChangeDoesNotTakeItsClientId() {
    send(alice, "x");
    assertThat(one(change(bob, Change.edited(1), "y", "c1")).error()).isNotNull();
    assertThat(one(change(bob, Change.reaction(1, "👍", true), null, "c1")).delivers()).isTrue();
  }

  @Test
  void deletingErasesTheBodyEditsReactionsAndAttachmentLinks() throws SQLException {
    Attachment file = new Attachment("att1", "image/png", 3, "p.png");
    store.saveAttachment(new AttachmentRecord(file, alice.id(), "at/att1", now()));
    one(message(group.id(), alice, "secret one", null, null, file));
    one(change(alice, Change.edited(1), "secret two", null));
    one(change(bob, Change.reaction(1, "👍", true), null, null));
    assertThat(store.attachmentPostedToMemberOf("att1", bob.id())).isTrue();
    Message deletion = one(change(alice, Change.deleted(1), null, null)).message();
    assertThat(deletion.seq()).isEqualTo(4);

    try (Connection c = DriverManager.getConnection(db.url())) {
      assertThat(strings(c, "SELECT body FROM messages WHERE thread_id = ?", group.id()))
          .allMatch(b -> !b.contains("secret"));
      assertThat(strings(c, "SELECT COALESCE(attachments, '') FROM messages WHERE thread_id = ?", group.id()))
          .allMatch(String::isEmpty);
      assertThat(strings(c, "SELECT emoji FROM reactions WHERE thread_id = ?", group.id())).isEmpty();
      assertThat(strings(c, "SELECT attachment_id FROM message_attachments WHERE thread_id = ?", group.id()))
          .isEmpty();
    }
    assertThat(store.attachmentPostedToMemberOf("att1", bob.id())).isFalse();

    Message gone = store.history(group.id(), null, null, 10).messages().get(0);
    assertThat(gone.deleted()).isTrue();
    assertThat(gone.attachments()).isEmpty();
    assertThat(gone.reactions()).isEmpty();
    List<Message> replay = store.messagesAfter(group.id(), 0, 10);
    assertThat(replay.get(0).deleted()).isTrue();
    assertThat(replay.get(1).change().kind()).isEqualTo(Change.Kind.EDITED);
    assertThat(replay.get(1).deleted()).as("an edit of a deleted message has no body").isTrue();
  }

  @Test
  void anEditAndADeleteInOneBatchLeaveNoBody() throws SQLException {
    send(alice, "x");
    List<AppendResult> results = store.appendBatch(List.of(
        change(alice, Change.edited(1), "secret", null), change(alice, Change.deleted(1), null, null),
        change(bob, Change.reaction(1, "👍", true), null, null)));
    assertThat(results.get(0).message().deleted()).isTrue();
    assertThat(results.get(2).error().code()).isEqualTo(ErrorCode.CONFLICT);
    try (Connection c = DriverManager.getConnection(db.url())) {
      assertThat(strings(c, "SELECT body FROM messages WHERE thread_id = ?", group.id()))
          .noneMatch(b -> b.contains("secret"));
    }
  }

  @Test
  void anAttachmentStillShownByAnotherMessageKeepsItsLink() {
    Attachment file = new Attachment("att2", "image/png", 3, "p.png");
    store.saveAttachment(new AttachmentRecord(file, alice.id(), "at/att2", now()));
    one(message(group.id(), alice, "", null, null, file));
    one(message(group.id(), alice, "again", null, null, file));
    one(change(alice, Change.deleted(1), null, null));
    assertThat(store.attachmentPostedToMemberOf("att2", bob.id())).isTrue();
    one(change(alice, Change.deleted(2), null, null));
    assertThat(store.attachmentPostedToMemberOf("att2", bob.id())).isFalse();
  }

  @Test
  void anEditMayEmptyTheBodyOfAMessageWithAttachments() {
    Attachment file = new Attachment("att3", "image/png", 3, "p.png");
    store.saveAttachment(new AttachmentRecord(file, alice.id(), "at/att3", now()));
    one(message(group.id(), alice, "caption", null, null, file));
    assertThat(one(change(alice, Change.edited(1), "", null)).error()).isNull();
    assertThat(store.history(group.id(), null, null, 5).messages().get(0).body()).isEmpty();
  }

  @Test
  void attachmentsNoMessageShowsAreRemovableUnpostedOnesOnlyWhenOld() {
    Attachment shown = new Attachment("keep1", "image/png", 3, "k.png");
    Attachment posted = new Attachment("gone1", "image/png", 3, "g.png");
    Attachment unposted = new Attachment("late1", "image/png", 3, "l.png");
    for (Attachment a : List.of(shown, posted, unposted)) {
      store.saveAttachment(new AttachmentRecord(a, alice.id(), "key-" + a.id(), now()));
    }
    long uploaded = now();
    one(message(group.id(), alice, "keep", null, null, shown));
    one(message(group.id(), alice, "gone", null, null, posted));
    assertThat(store.removableAttachments(0, 10)).isEmpty();
    one(change(alice, Change.deleted(2), null, null));
    assertThat(store.removableAttachments(0, 10)).extracting(r -> r.attachment().id())
        .containsExactly("gone1");
    assertThat(store.removableAttachments(uploaded, 10)).extracting(r -> r.attachment().id())
        .containsExactlyInAnyOrder("gone1", "late1");
    assertThat(store.deleteAttachment("gone1")).isTrue();
    assertThat(store.deleteAttachment("keep1")).as("still shown").isFalse();
    assertThat(store.findAttachment("gone1")).isEmpty();
    assertThat(store.findAttachment("keep1")).isPresent();
  }

  @Test
  void theThreadListCountsMessagesOnlyInTheirCurrentState() {
    ChatThread quiet = store.createGroup("q", bob.id(), List.of(bob.id(), alice.id()), now());
    send(alice, "one");
    send(alice, "two");
    one(message(quiet.id(), bob, "later", null, null));
    one(change(bob, Change.reaction(1, "👍", true), null, null));
    one(change(alice, Change.edited(2), "two!", null));
    List<ThreadSummary> bobs = store.listThreads(bob.id());
    // changes do not move a thread up the list
    assertThat(bobs.get(0).thread().id()).isEqualTo(quiet.id());
    ThreadSummary g = bobs.get(1);
    assertThat(g.unread()).isEqualTo(2);
    assertThat(g.lastMessage().seq()).isEqualTo(2);
    assertThat(g.lastMessage().body()).isEqualTo("two!");
    one(change(alice, Change.deleted(2), null, null));
    g = store.listThreads(bob.id()).get(1);
    assertThat(g.unread()).isEqualTo(1);
    assertThat(g.lastMessage().seq()).isEqualTo(1);
    one(change(alice, Change.deleted(1), null, null));
    g = store.listThreads(bob.id()).get(1);
    assertThat(g.unread()).isZero();
    assertThat(g.lastMessage()).isNull();
    // read accepts the seq of any entry
    assertThat(store.markRead(group.id(), bob.id(), lastSeq())).isEqualTo(lastSeq());
  }

  private static List<String> strings(Connection c, String sql, String param) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
