package dev.parley.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.AvatarImage;
import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.UserAccount;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JdbcChatStore} database must show; subclasses say which database.
 * Each test gets a fresh database.
 */
abstract class ChatStoreContract {
  private final AtomicLong clock = new AtomicLong(1_000);
  final List<JdbcChatStore> opened = new ArrayList<>();
  TestDatabase db;
  JdbcChatStore store;

  /** A fresh, empty database for one test. */
  abstract TestDatabase newDatabase();

  @BeforeEach
  void openStore() {
    db = newDatabase();
    store = open();
  }

  @AfterEach
  void closeStore() {
    opened.forEach(JdbcChatStore::close);
    if (db != null) {
      db.close();
    }
  }

  JdbcChatStore open() {
    JdbcChatStore s = JdbcChatStore.open(StoreOptions.of(db.url()));
    opened.add(s);
    return s;
  }

  long now() {
    return clock.incrementAndGet();
  }

  User user(String name) {
    return store.createUser(name, name.toUpperCase(), "hash-" + name, now());
  }

  PendingMessage msg(String thread, String sender, String body, String clientId,
                     Attachment... attachments) {
    return new PendingMessage(Ids.newId(), thread, sender, body, now(), clientId,
        List.of(attachments));
  }

  Message send(String thread, String sender, String body) {
    return store.appendBatch(List.of(msg(thread, sender, body, null))).get(0).message();
  }

  ChatThread group(User creator, User... others) {
    List<String> ids = new ArrayList<>();
    ids.add(creator.id());
    for (User u : others) {
      ids.add(u.id());
    }
    return store.createGroup("g", creator.id(), ids, now());
  }

  List<Long> seqs(List<Message> messages) {
    return messages.stream().map(Message::seq).collect(Collectors.toList());
  }

  // ---- users -------------------------------------------------------------------------------

  @Test
  void createsUserWithUnguessableIdKeepingTheSpelling() {
    User alice = store.createUser("Alice", "Alice A.", "h", now());
    assertThat(alice.id()).hasSize(22);
    assertThat(alice.username()).isEqualTo("Alice");
    assertThat(alice.displayName()).isEqualTo("Alice A.");
    assertThat(store.findUser(alice.id())).contains(alice);
  }

  @Test
  void updatesDisplayNameKeepingUsername() {
    User alice = user("alice");
    assertThat(store.updateDisplayName(alice.id(), "Alice \u00e9\u00e8")).isTrue();
    User changed = store.findUser(alice.id()).orElseThrow();
    assertThat(changed.displayName()).isEqualTo("Alice \u00e9\u00e8");
    assertThat(changed.username()).isEqualTo("alice");
    assertThat(store.updateDisplayName("ghost", "x")).isFalse();
  }

  @Test
  void anAvatarIsFoundByItsCurrentVersionOnlyAndShowsInEveryUserRead() {
    User alice = user("alice");
    User bob = user("bob");
    ChatThread g = group(alice, bob);
    byte[] first = {1, 2, 3};
    assertThat(store.setAvatar(alice.id(), new AvatarImage("v1", "image/png", first), now())).isTrue();
    assertThat(store.setAvatar("ghost", new AvatarImage("v1", "image/png", first), now())).isFalse();

    AvatarImage found = store.findAvatar(alice.id(), "v1").orElseThrow();
    assertThat(found.bytes()).containsExactly(1, 2, 3);
    assertThat(found.contentType()).isEqualTo("image/png");
    String path = User.avatarPath(alice.id(), "v1");
    assertThat(store.findUser(alice.id()).orElseThrow().avatar()).isEqualTo(path);
    assertThat(store.findAccount(alice.id()).orElseThrow().user().avatar()).isEqualTo(path);
    assertThat(store.findUsers(List.of(alice.id(), bob.id())))
        .filteredOn(u -> u.id().equals(alice.id())).extracting(User::avatar).containsExactly(path);
    assertThat(store.searchUsers("ali", 5)).extracting(User::avatar).containsExactly(path);
    assertThat(store.findThread(g.id()).orElseThrow().members())
        .filteredOn(u -> u.id().equals(alice.id())).extracting(User::avatar).containsExactly(path);
    assertThat(store.findUser(bob.id()).orElseThrow().avatar()).isNull();

    assertThat(store.setAvatar(alice.id(), new AvatarImage("v2", "image/jpeg", new byte[] {9}), now())).isTrue();
    assertThat(store.findAvatar(alice.id(), "v1")).isEmpty();
    assertThat(store.findAvatar(alice.id(), "v2").orElseThrow().bytes()).containsExactly(9);

    assertThat(store.removeAvatar(alice.id())).isTrue();
    assertThat(store.findAvatar(alice.id(), "v2")).isEmpty();
    assertThat(store.findUser(alice.id()).orElseThrow().avatar()).isNull();
    assertThat(store.removeAvatar("ghost")).isFalse();
  }

  @Test
  void lastSeenOnlyMovesForward() {
    User alice = user("alice");
    assertThat(store.lastSeen(alice.id())).isEmpty();
    User bob = user("bob");
    store.recordLastSeen(Map.of(alice.id(), 5_000L, bob.id(), 7_000L, "ghost", 1L));
    assertThat(store.lastSeen(alice.id())).hasValue(5_000);
    assertThat(store.lastSeen(bob.id())).hasValue(7_000);
    assertThat(store.lastSeen("ghost")).isEmpty();
    store.recordLastSeen(Map.of(alice.id(), 4_000L)); // a slower node's older news
    assertThat(store.lastSeen(alice.id())).hasValue(5_000);
    store.recordLastSeen(Map.of(alice.id(), 6_000L));
    assertThat(store.lastSeen(alice.id())).hasValue(6_000);
    store.recordLastSeen(Map.of());
  }

  @Test
  void rejectsUsernameTakenInAnotherCase() {
    user("Alice");
    assertThatThrownBy(() -> store.createUser("aLICE", "x", "h", now()))
        .isInstanceOfSatisfying(ChatException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
          assertThat(e.getMessage()).isEqualTo("username taken");
        });
  }

  @Test
  void findsAccountByUsernameRegardlessOfCase() {
    User bob = user("Bob");
    UserAccount account = store.findAccountByUsername("bOB").orElseThrow();
    assertThat(account.user()).isEqualTo(bob);
    assertThat(account.passwordHash()).isEqualTo("hash-Bob");
    assertThat(account.disabled()).isFalse();
    assertThat(store.findAccount(bob.id())).contains(account);
    assertThat(store.findAccountByUsername("bobby")).isEmpty();
    assertThat(store.findAccount("nope")).isEmpty();
    assertThat(store.findUser("nope")).isEmpty();
  }

  @Test
  void findUsersReturnsOnlyThoseThatExist() {
    User a = user("anna");
    User b = user("ben");
    assertThat(store.findUsers(List.of(a.id(), "ghost", b.id(), a.id())))
        .containsExactlyInAnyOrder(a, b);
    assertThat(store.findUsers(List.of())).isEmpty();
  }

  @Test
  void searchMatchesPrefixRegardlessOfCaseOrderedAndLimited() {
    User carl = user("Carl");
    User carla = user("carla");
    User caroline = user("CAROLINE");
    user("Bob");
    assertThat(store.searchUsers("CAR", 10)).containsExactly(carl, carla, caroline);
    assertThat(store.searchUsers("car", 2)).containsExactly(carl, carla);
    assertThat(store.searchUsers("carl", 10)).containsExactly(carl, carla);
    assertThat(store.searchUsers("x", 10)).isEmpty();
  }

  @Test
  void searchTreatsPercentUnderscoreAndEscapeCharLiterally() {
    User underscore = user("a_b");
    User percent = user("a%b");
    User bang = user("a!b");
    user("axb");
    user("aab");
    assertThat(store.searchUsers("a_", 10)).containsExactly(underscore);
    assertThat(store.searchUsers("a%", 10)).containsExactly(percent);
    assertThat(store.searchUsers("a!", 10)).containsExactly(bang);
    assertThat(store.searchUsers("%", 10)).isEmpty();
  }

  @Test
  void disablesAndReenablesAnAccount() {
    User dave = user("dave");
    store.setDisabled(dave.id(), true);
    assertThat(store.findAccount(dave.id()).orElseThrow().disabled()).isTrue();
    assertThat(store.findAccountByUsername("dave").orElseThrow().disabled()).isTrue();
    store.setDisabled(dave.id(), false);
    assertThat(store.findAccount(dave.id()).orElseThrow().disabled()).isFalse();
  }

  @Test
  void deletingAUserKeepsItsMessagesAndDropsItsMemberships() {
    User a = user("alpha");
    User b = user("beta");
    ChatThread t = group(a, b);
    Message m = send(t.id(), b.id(), "bye");
    assertThat(store.deleteUser(b.id())).isTrue();
    assertThat(store.deleteUser(b.id())).isFalse();
    assertThat(store.findAccount(b.id())).isEmpty();
    assertThat(store.memberIds(t.id())).containsExactly(a.id());
    assertThat(store.findThread(t.id()).orElseThrow().members()).containsExactly(a);
    assertThat(store.messagesAfter(t.id(), 0, 10)).containsExactly(m);
    assertThat(store.searchUsers("beta", 10)).isEmpty();
  }

  // ---- threads -----------------------------------------------------------------------------

  @Test
  void createsGroupWithItsMembers() {
    User a = user("ga");
    User b = user("gb");
    User c = user("gc");
    long now = now();
    ChatThread t = store.createGroup("Team", a.id(), List.of(b.id(), c.id()), now);
    assertThat(t.kind()).isEqualTo(ChatThread.GROUP);
    assertThat(t.title()).isEqualTo("Team");
    assertThat(t.creator()).isEqualTo(a.id());
    assertThat(t.createdAt()).isEqualTo(now);
    assertThat(t.lastSeq()).isZero();
    assertThat(t.members()).containsExactlyInAnyOrder(a, b, c);
    assertThat(store.findThread(t.id())).contains(t);
    assertThat(store.memberIds(t.id())).containsExactlyInAnyOrder(a.id(), b.id(), c.id());
    assertThat(store.isMember(t.id(), c.id())).isTrue();
    assertThat(store.findThread("nope")).isEmpty();
  }

  @Test
  void createGroupWithUnknownMemberIsNotFoundAndStoresNothing() {
    User a = user("lonely");
    assertThatThrownBy(() -> store.createGroup("x", a.id(), List.of(a.id(), "ghost"), now()))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(store.conversationIdsOf(a.id())).isEmpty();
  }

  @Test
  void directThreadIsCreatedOnceForAPairInEitherOrder() {
    User a = user("da");
    User b = user("db");
    DirectThreadResult first = store.findOrCreateDirect(a.id(), b.id(), now());
    assertThat(first.created()).isTrue();
    ChatThread t = first.thread();
    assertThat(t.kind()).isEqualTo(ChatThread.DIRECT);
    assertThat(t.isDirect()).isTrue();
    assertThat(t.title()).isNull();
    assertThat(t.members()).containsExactlyInAnyOrder(a, b);
    DirectThreadResult again = store.findOrCreateDirect(b.id(), a.id(), now());
    assertThat(again.created()).isFalse();
    assertThat(again.thread()).isEqualTo(t);
  }

  @Test
  void directThreadWithUnknownUserIsNotFound() {
    User a = user("solo");
    assertThatThrownBy(() -> store.findOrCreateDirect(a.id(), "ghost", now()))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(store.conversationIdsOf(a.id())).isEmpty();
  }

  @Test
  void eightConcurrentCallersForOnePairGetOneDirectThread() throws Exception {
    User a = user("racea");
    User b = user("raceb");
    List<DirectThreadResult> results = concurrently(8, i ->
        i % 2 == 0 ? store.findOrCreateDirect(a.id(), b.id(), now())
            : store.findOrCreateDirect(b.id(), a.id(), now()));
    assertThat(results.stream().map(r -> r.thread().id()).distinct()).hasSize(1);
    assertThat(results.stream().filter(DirectThreadResult::created)).hasSize(1);
    assertThat(store.conversationIdsOf(a.id())).hasSize(1);
  }

  @Test
  void addsAndRemovesMembers() {
    User a = user("ma");
    User b = user("mb");
    ChatThread t = group(a);
    assertThat(store.isMember(t.id(), b.id())).isFalse();
    assertThat(store.addMember(t.id(), b.id(), now())).isTrue();
    assertThat(store.addMember(t.id(), b.id(), now())).isFalse();
    assertThat(store.isMember(t.id(), b.id())).isTrue();
    assertThat(store.conversationIdsOf(b.id())).containsExactly(t.id());
    assertThat(store.findThread(t.id()).orElseThrow().members()).containsExactly(a, b);
    assertThat(store.removeMember(t.id(), b.id())).isTrue();
    assertThat(store.removeMember(t.id(), b.id())).isFalse();
    assertThat(store.isMember(t.id(), b.id())).isFalse();
    assertThat(store.conversationIdsOf(b.id())).isEmpty();
  }

  @Test
  void addingUnknownUserOrToUnknownThreadIsNotFound() {
    User a = user("na");
    ChatThread t = group(a);
    assertThatThrownBy(() -> store.addMember(t.id(), "ghost", now()))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> store.addMember("nothread", a.id(), now()))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void listsThreadsByRecentActivityWithLastMessageAndUnread() {
    User a = user("la");
    User b = user("lb");
    ChatThread older = group(a, b);
    ChatThread quiet = group(a);
    ChatThread direct = store.findOrCreateDirect(a.id(), b.id(), now()).thread();
    assertThat(store.listThreads(a.id())).extracting(s -> s.thread().id())
        .containsExactly(direct.id(), quiet.id(), older.id());

    send(older.id(), b.id(), "one");
    send(older.id(), a.id(), "mine");
    Message last = send(older.id(), b.id(), "two");
    List<ThreadSummary> list = store.listThreads(a.id());
    assertThat(list).extracting(s -> s.thread().id())
        .containsExactly(older.id(), direct.id(), quiet.id());
    ThreadSummary top = list.get(0);
    assertThat(top.lastMessage()).isEqualTo(last);
    assertThat(top.thread().lastSeq()).isEqualTo(3);
    assertThat(top.thread().members()).containsExactlyInAnyOrder(a, b);
    assertThat(top.unread()).isEqualTo(2);
    assertThat(list.get(1).lastMessage()).isNull();
    assertThat(list.get(1).unread()).isZero();

    store.markRead(older.id(), a.id(), 1);
    assertThat(store.listThreads(a.id()).get(0).unread()).isEqualTo(1);
    assertThat(store.listThreads(b.id())).extracting(s -> s.thread().id())
        .containsExactly(older.id(), direct.id());
    assertThat(store.listThreads(b.id()).get(0).unread()).isEqualTo(1);
    assertThat(store.listThreads("nobody")).isEmpty();
  }

  @Test
  void threadsWithEqualActivityAreOrderedById() {
    User a = user("tie");
    long now = now();
    ChatThread x = store.createGroup("x", a.id(), List.of(a.id()), now);
    ChatThread y = store.createGroup("y", a.id(), List.of(a.id()), now);
    List<String> expected = new ArrayList<>(List.of(x.id(), y.id()));
    expected.sort(null);
    assertThat(store.listThreads(a.id())).extracting(s -> s.thread().id())
        .containsExactlyElementsOf(expected);
  }

  // ---- messages ----------------------------------------------------------------------------

  @Test
  void appendGivesEachThreadConsecutiveSeqsInBatchOrder() {
    User a = user("sa");
    ChatThread t1 = group(a);
    ChatThread t2 = group(a);
    Attachment file = new Attachment("att1", "image/png", 42, "cat.png");
    List<PendingMessage> batch = List.of(
        msg(t1.id(), a.id(), "1a", null),
        msg(t2.id(), a.id(), "2a", null),
        msg(t1.id(), a.id(), "1b", "c1", file),
        msg(t2.id(), a.id(), "2b", null),
        msg(t1.id(), a.id(), "1c", null));
    List<AppendResult> results = store.appendBatch(batch);
    assertThat(results).extracting(r -> r.message().seq()).containsExactly(1L, 1L, 2L, 2L, 3L);
    assertThat(results).noneMatch(AppendResult::duplicate);
    for (int i = 0; i < batch.size(); i++) {
      Message m = results.get(i).message();
      PendingMessage p = batch.get(i);
      assertThat(m.id()).isEqualTo(p.id());
      assertThat(m.thread()).isEqualTo(p.thread());
      assertThat(m.body()).isEqualTo(p.body());
      assertThat(m.ts()).isEqualTo(p.ts());
      assertThat(m.clientId()).isEqualTo(p.clientId());
      assertThat(m.attachments()).isEqualTo(p.attachments());
    }
    assertThat(store.messagesAfter(t1.id(), 0, 10)).containsExactly(
        results.get(0).message(), results.get(2).message(), results.get(4).message());
    assertThat(store.findThread(t1.id()).orElseThrow().lastSeq()).isEqualTo(3);
    assertThat(store.appendBatch(List.of())).isEmpty();
  }

  @Test
  void eightConcurrentWritersGetGapFreeSeqs() throws Exception {
    User a = user("wa");
    ChatThread t = group(a);
    int writers = 8;
    int batches = 20;
    int perBatch = 5;
    List<List<Long>> perWriter = concurrently(writers, w -> {
      List<Long> mine = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        List<PendingMessage> batch = new ArrayList<>();
        for (int i = 0; i < perBatch; i++) {
          batch.add(msg(t.id(), a.id(), "w" + w + "b" + b + "i" + i, null));
        }
        List<Long> seqs = store.appendBatch(batch).stream().map(r -> r.message().seq()).toList();
        for (int i = 1; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }
        mine.addAll(seqs);
      }
      return mine;
    });
    int total = writers * batches * perBatch;
    List<Long> all = perWriter.stream().flatMap(List::stream).sorted().toList();
    assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    List<Message> stored = store.messagesAfter(t.id(), 0, total + 10);
    assertThat(seqs(stored)).containsExactlyElementsOf(all);
    assertThat(store.findThread(t.id()).orElseThrow().lastSeq()).isEqualTo(total);
  }

  @Test
  void repeatedClientIdInALaterBatchReturnsTheStoredMessage() {
    User a = user("ca");
    ChatThread t = group(a);
    Message first = store.appendBatch(List.of(msg(t.id(), a.id(), "hi", "cid-1"))).get(0).message();
    List<AppendResult> again = store.appendBatch(List.of(
        msg(t.id(), a.id(), "hi again", "cid-1"),
        msg(t.id(), a.id(), "new", "cid-2")));
    assertThat(again.get(0).duplicate()).isTrue();
    assertThat(again.get(0).message()).isEqualTo(first);
    assertThat(again.get(1).duplicate()).isFalse();
    assertThat(again.get(1).message().seq()).isEqualTo(2);
    assertThat(store.messagesAfter(t.id(), 0, 10)).hasSize(2);
  }

  @Test
  void repeatedClientIdWithinOneBatchIsStoredOnce() {
    User a = user("cb");
    ChatThread t = group(a);
    List<AppendResult> results = store.appendBatch(List.of(
        msg(t.id(), a.id(), "x", "same"),
        msg(t.id(), a.id(), "plain", null),
        msg(t.id(), a.id(), "x again", "same")));
    assertThat(results).extracting(AppendResult::duplicate).containsExactly(false, false, true);
    assertThat(results.get(2).message()).isEqualTo(results.get(0).message());
    assertThat(results.get(1).message().seq()).isEqualTo(2);
    assertThat(store.messagesAfter(t.id(), 0, 10)).extracting(Message::body)
        .containsExactly("x", "plain");
    assertThat(store.findThread(t.id()).orElseThrow().lastSeq()).isEqualTo(2);
  }

  @Test
  void concurrentRetriesOfOneClientIdStoreItOnce() throws Exception {
    User a = user("retry");
    ChatThread t = group(a);
    List<AppendResult> results = concurrently(8, i -> store.appendBatch(List.of(
        msg(t.id(), a.id(), "other " + i, null),
        msg(t.id(), a.id(), "once", "retry-1"))).get(1));
    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
    assertThat(results).extracting(AppendResult::message).containsOnly(results.get(0).message());
    List<Message> stored = store.messagesAfter(t.id(), 0, 100);
    assertThat(stored).filteredOn(m -> "retry-1".equals(m.clientId())).hasSize(1);
    assertThat(seqs(stored)).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
  }

  @Test
  void sameClientIdFromAnotherSenderOrThreadIsNotADuplicate() {
    User a = user("sx");
    User b = user("sy");
    ChatThread t = group(a, b);
    ChatThread u = group(a, b);
    List<AppendResult> results = store.appendBatch(List.of(
        msg(t.id(), a.id(), "a", "k"),
        msg(t.id(), b.id(), "b", "k"),
        msg(u.id(), a.id(), "c", "k")));
    assertThat(results).noneMatch(AppendResult::duplicate);
    assertThat(results).extracting(r -> r.message().seq()).containsExactly(1L, 2L, 1L);
  }

  @Test
  void unknownThreadFailsTheWholeBatch() {
    User a = user("ua");
    ChatThread t = group(a);
    assertThatThrownBy(() -> store.appendBatch(List.of(
        msg(t.id(), a.id(), "kept?", null),
        msg("no-such-thread", a.id(), "x", null))))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> store.appendBatch(List.of(msg("zz-missing", a.id(), "x", "cid"))))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(store.messagesAfter(t.id(), 0, 10)).isEmpty();
    assertThat(store.findThread(t.id()).orElseThrow().lastSeq()).isZero();
    assertThat(send(t.id(), a.id(), "after").seq()).isEqualTo(1);
  }

  // ---- history -----------------------------------------------------------------------------

  /** A thread with messages of seq 1..n. */
  ChatThread threadWith(int n) {
    User a = user("h" + Ids.newId().substring(0, 8).toLowerCase().replace('-', 'x'));
    ChatThread t = group(a);
    List<PendingMessage> batch = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      batch.add(msg(t.id(), a.id(), "m" + i, null));
    }
    store.appendBatch(batch);
    return t;
  }

  @Test
  void historyOfEmptyThreadIsEmptyInEveryDirection() {
    ChatThread t = threadWith(0);
    for (MessagePage page : List.of(store.history(t.id(), null, null, 10),
        store.history(t.id(), 5L, null, 10), store.history(t.id(), null, 0L, 10),
        store.history(t.id(), 5L, 1L, 10))) {
      assertThat(page.messages()).isEmpty();
      assertThat(page.hasMore()).isFalse();
    }
    assertThat(store.history("no-thread", null, null, 10).messages()).isEmpty();
  }

  @Test
  void historyWithoutBoundsIsTheLatestPage() {
    ChatThread t = threadWith(10);
    MessagePage page = store.history(t.id(), null, null, 3);
    assertThat(seqs(page.messages())).containsExactly(8L, 9L, 10L);
    assertThat(page.hasMore()).isTrue();
    MessagePage all = store.history(t.id(), null, null, 10);
    assertThat(seqs(all.messages())).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(all.hasMore()).isFalse();
    assertThat(store.history(t.id(), null, null, 50).hasMore()).isFalse();
  }

  @Test
  void historyAfterPagesForward() {
    ChatThread t = threadWith(10);
    MessagePage page = store.history(t.id(), null, 2L, 3);
    assertThat(seqs(page.messages())).containsExactly(3L, 4L, 5L);
    assertThat(page.hasMore()).isTrue();
    MessagePage exact = store.history(t.id(), null, 7L, 3);
    assertThat(seqs(exact.messages())).containsExactly(8L, 9L, 10L);
    assertThat(exact.hasMore()).isFalse();
    MessagePage big = store.history(t.id(), null, 8L, 100);
    assertThat(seqs(big.messages())).containsExactly(9L, 10L);
    assertThat(big.hasMore()).isFalse();
    assertThat(store.history(t.id(), null, 10L, 5).messages()).isEmpty();
  }

  @Test
  void historyBeforePagesBackward() {
    ChatThread t = threadWith(10);
    MessagePage page = store.history(t.id(), 8L, null, 3);
    assertThat(seqs(page.messages())).containsExactly(5L, 6L, 7L);
    assertThat(page.hasMore()).isTrue();
    MessagePage exact = store.history(t.id(), 4L, null, 3);
    assertThat(seqs(exact.messages())).containsExactly(1L, 2L, 3L);
    assertThat(exact.hasMore()).isFalse();
    MessagePage big = store.history(t.id(), 3L, null, 100);
    assertThat(seqs(big.messages())).containsExactly(1L, 2L);
    assertThat(big.hasMore()).isFalse();
    assertThat(store.history(t.id(), 1L, null, 5).messages()).isEmpty();
  }

  @Test
  void historyBetweenBoundsGivesTheLastBeforeTheUpperBound() {
    ChatThread t = threadWith(10);
    MessagePage page = store.history(t.id(), 9L, 2L, 3);
    assertThat(seqs(page.messages())).containsExactly(6L, 7L, 8L);
    assertThat(page.hasMore()).isTrue();
    MessagePage rest = store.history(t.id(), 6L, 2L, 3);
    assertThat(seqs(rest.messages())).containsExactly(3L, 4L, 5L);
    assertThat(rest.hasMore()).isFalse();
    MessagePage big = store.history(t.id(), 9L, 2L, 100);
    assertThat(seqs(big.messages())).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(big.hasMore()).isFalse();
    assertThat(store.history(t.id(), 4L, 3L, 10).messages()).isEmpty();
  }

  @Test
  void historyRejectsLimitBelowOne() {
    ChatThread t = threadWith(1);
    assertThatThrownBy(() -> store.history(t.id(), null, null, 0))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @Test
  void messagesAfterGivesAscendingMessagesUpToTheLimit() {
    ChatThread t = threadWith(6);
    assertThat(seqs(store.messagesAfter(t.id(), 2, 3))).containsExactly(3L, 4L, 5L);
    assertThat(seqs(store.messagesAfter(t.id(), 4, 10))).containsExactly(5L, 6L);
    assertThat(store.messagesAfter(t.id(), 6, 10)).isEmpty();
    assertThat(store.messagesAfter("nothread", 0, 10)).isEmpty();
  }

  // ---- read positions ----------------------------------------------------------------------

  @Test
  void markReadOnlyMovesForwardAndStopsAtTheLastSeq() {
    User a = user("ra");
    User b = user("rb");
    ChatThread t = group(a, b);
    for (int i = 0; i < 5; i++) {
      send(t.id(), b.id(), "m" + i);
    }
    assertThat(store.readPositions(t.id())).isEmpty();
    assertThat(store.markRead(t.id(), a.id(), 3)).isEqualTo(3);
    assertThat(store.markRead(t.id(), a.id(), 2)).isEqualTo(3);
    assertThat(store.markRead(t.id(), a.id(), 4)).isEqualTo(4);
    assertThat(store.markRead(t.id(), a.id(), 99)).isEqualTo(5);
    assertThat(store.markRead(t.id(), b.id(), 1)).isEqualTo(1);
    assertThat(store.readPositions(t.id())).isEqualTo(Map.of(a.id(), 5L, b.id(), 1L));
  }

  @Test
  void markReadByNonMemberIsForbidden() {
    User a = user("fa");
    User outsider = user("fb");
    ChatThread t = group(a);
    send(t.id(), a.id(), "x");
    assertThatThrownBy(() -> store.markRead(t.id(), outsider.id(), 1))
        .isInstanceOfSatisfying(ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
  }

  // ---- attachments -------------------------------------------------------------------------

  @Test
  void savesAndFindsAttachments() {
    User a = user("aa");
    AttachmentRecord record = new AttachmentRecord(
        new Attachment("f1", "text/plain", 12, "notes.txt"), a.id(), "ab/f1", now());
    store.saveAttachment(record);
    assertThat(store.findAttachment("f1")).contains(record);
    assertThat(store.findAttachment("f2")).isEmpty();
    AttachmentRecord noName = new AttachmentRecord(
        new Attachment("f3", "application/octet-stream", 0, null), a.id(), "cd/f3", now());
    store.saveAttachment(noName);
    assertThat(store.findAttachment("f3")).contains(noName);
  }

  @Test
  void attachmentIsVisibleToMembersOfThreadsWhereItWasPosted() {
    User a = user("pa");
    User b = user("pb");
    User c = user("pc");
    ChatThread t = group(a, b);
    Attachment file = new Attachment("pic", "image/png", 3, "p.png");
    store.saveAttachment(new AttachmentRecord(file, a.id(), "pi/pic", now()));
    assertThat(store.attachmentPostedToMemberOf("pic", b.id())).isFalse();
    Message m = store.appendBatch(List.of(msg(t.id(), a.id(), "look", null, file))).get(0).message();
    assertThat(m.attachments()).containsExactly(file);
    assertThat(store.messagesAfter(t.id(), 0, 1).get(0).attachments()).containsExactly(file);
    assertThat(store.attachmentPostedToMemberOf("pic", b.id())).isTrue();
    assertThat(store.attachmentPostedToMemberOf("pic", a.id())).isTrue();
    assertThat(store.attachmentPostedToMemberOf("pic", c.id())).isFalse();
    assertThat(store.attachmentPostedToMemberOf("other", b.id())).isFalse();
    store.removeMember(t.id(), b.id());
    assertThat(store.attachmentPostedToMemberOf("pic", b.id())).isFalse();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  @Test
  void isHealthyWhileOpenAndNotAfterClose() {
    assertThat(store.isHealthy()).isTrue();
    store.close();
    assertThat(store.isHealthy()).isFalse();
  }

  @Test
  void dataSurvivesCloseAndReopen() {
    User a = user("keep");
    ChatThread t = group(a);
    Message m = send(t.id(), a.id(), "persisted");
    store.markRead(t.id(), a.id(), 1);
    store.close();
    JdbcChatStore reopened = open();
    assertThat(reopened.findAccountByUsername("KEEP").orElseThrow().user()).isEqualTo(a);
    assertThat(reopened.findThread(t.id())).hasValueSatisfying(
        x -> assertThat(x.lastSeq()).isEqualTo(1));
    assertThat(reopened.messagesAfter(t.id(), 0, 10)).containsExactly(m);
    assertThat(reopened.readPositions(t.id())).isEqualTo(Map.of(a.id(), 1L));
    Message next = reopened.appendBatch(List.of(msg(t.id(), a.id(), "more", null))).get(0).message();
    assertThat(next.seq()).isEqualTo(2);
  }

  // ---- notifications -----------------------------------------------------------------------

  @Test
  void theFirstVapidPairKeptIsTheOneEveryNodeGets() {
    dev.parley.core.store.VapidKeys first = new dev.parley.core.store.VapidKeys("pub1", "priv1");
    assertThat(store.keepVapidKeys(first)).isEqualTo(first);
    JdbcChatStore other = open();
    assertThat(other.keepVapidKeys(new dev.parley.core.store.VapidKeys("pub2", "priv2"))).isEqualTo(first);
  }

  @Test
  void pushSubscriptionsAreCappedOldestFirstAndReplacedByEndpoint() {
    User a = user("pusha");
    User b = user("pushb");
    for (int i = 0; i < 4; i++) {
      store.addPushSubscription(new dev.parley.core.store.PushSubscriptionRecord("s" + i, a.id(),
          "https://push.example/" + i, "k", "x", now()), 3);
    }
    store.addPushSubscription(new dev.parley.core.store.PushSubscriptionRecord("again", a.id(),
        "https://push.example/3", "k2", "x", now()), 3);
    store.addPushSubscription(new dev.parley.core.store.PushSubscriptionRecord("b0", b.id(),
        "https://push.example/3", "k", "x", now()), 3);
    assertThat(store.pushSubscriptions(List.of(a.id())))
        .extracting(dev.parley.core.store.PushSubscriptionRecord::id)
        .containsExactly("s1", "s2", "again");
    assertThat(store.deletePushSubscription(b.id(), "s1")).isFalse();
    assertThat(store.deletePushSubscription(a.id(), "s1")).isTrue();
    store.deletePushSubscription("b0");
    assertThat(store.pushSubscriptions(List.of(a.id(), b.id()))).hasSize(2);
  }

  @Test
  void aWebhookReceiverStartsAtTheEndOfTheLogAndFollowsItsCursors() {
    User a = user("hooka");
    ChatThread old = group(a);
    send(old.id(), a.id(), "before the receiver");
    store.registerWebhookReceiver("r1", now());
    assertThat(store.webhookBacklog("r1", 10)).isEmpty();
    send(old.id(), a.id(), "after");
    ChatThread fresh = group(a);
    send(fresh.id(), a.id(), "one");
    send(fresh.id(), a.id(), "two");
    assertThat(store.webhookQueueLength("r1")).isEqualTo(3);
    assertThat(store.webhookBacklog("r1", 10)).containsExactlyInAnyOrder(
        new dev.parley.core.store.WebhookBacklog(old.id(), 1, 2),
        new dev.parley.core.store.WebhookBacklog(fresh.id(), 0, 2));
    assertThat(store.logEntriesAfter(fresh.id(), 0, 10))
        .extracting(dev.parley.core.store.LogEntry::seq).containsExactly(1L, 2L);
    store.advanceWebhookCursor("r1", fresh.id(), 2);
    store.advanceWebhookCursor("r1", fresh.id(), 1); // never backwards
    store.registerWebhookReceiver("r1", now()); // known: keeps its cursors
    assertThat(store.webhookQueueLength("r1")).isEqualTo(1);
  }

  @Test
  void oneNodeHoldsAWebhookLeaseUntilItExpires() {
    store.registerWebhookReceiver("r1", now());
    assertThat(store.leaseWebhookReceiver("r1", "node-a", 1_000, 31_000)).isTrue();
    assertThat(store.leaseWebhookReceiver("r1", "node-b", 2_000, 32_000)).isFalse();
    assertThat(store.leaseWebhookReceiver("r1", "node-a", 20_000, 50_000)).isTrue();
    assertThat(store.leaseWebhookReceiver("r1", "node-b", 40_000, 70_000)).isFalse();
    assertThat(store.leaseWebhookReceiver("r1", "node-b", 50_001, 80_000)).isTrue();
    assertThat(store.leaseWebhookReceiver("r1", "node-a", 50_002, 80_000)).isFalse();
  }

  @Test
  void aReleasedWebhookLeaseIsFreeAtOnceButOnlyItsHolderReleasesIt() {
    store.registerWebhookReceiver("r1", now());
    assertThat(store.leaseWebhookReceiver("r1", "node-a", 1_000, 31_000)).isTrue();
    store.releaseWebhookReceiver("r1", "node-b"); // not the holder: nothing changes
    assertThat(store.leaseWebhookReceiver("r1", "node-b", 2_000, 32_000)).isFalse();
    store.releaseWebhookReceiver("r1", "node-a");
    assertThat(store.leaseWebhookReceiver("r1", "node-b", 2_001, 32_001)).isTrue();
    assertThat(store.leaseWebhookReceiver("r1", "node-a", 2_002, 32_002)).isFalse();
  }

  @Test
  void migrationsAreAppliedOnceAcrossReopens() throws SQLException {
    store.close();
    open().close();
    open().close();
    try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
      assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }
  }

  @Test
  void storesOpenedConcurrentlyOnOneDatabaseAllWork() throws Exception {
    store.close();
    db.close();
    db = newDatabase();
    List<JdbcChatStore> stores = concurrently(4, i -> JdbcChatStore.open(StoreOptions.of(db.url())));
    try {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < stores.size(); i++) {
        ids.add(stores.get(i).createUser("node" + i, "n", "h", now()).id());
      }
      assertThat(stores.get(0).findUsers(ids)).hasSize(4);
    } finally {
      stores.forEach(JdbcChatStore::close);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code n} tasks at once (released together) and returns their results in order. */
  static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> call = () -> {
          ready.countDown();
          go.await();
          return task.run(index);
        };
        futures.add(pool.submit(call));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
