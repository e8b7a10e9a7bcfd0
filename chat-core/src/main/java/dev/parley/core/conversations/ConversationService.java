package dev.parley.core.conversations;

import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.DirectThreadResult;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Threads and their membership, with the contract's rules. Every change is published so the
 * members' connections, on any node, start or stop receiving the thread at once. Every method
 * blocks (store): call it on a worker thread.
 */
public final class ConversationService {
  private static final int MAX_TITLE = 200;
  private static final int MAX_MEMBERS = 1000;

  private final ChatStore store;
  private final Broker broker;
  private final Clock clock;

  public ConversationService(ChatStore store, Broker broker, Clock clock) {
    this.store = store;
    this.broker = broker;
    this.clock = clock;
  }

  /** Creates a group; the creator is always a member; duplicates are ignored; unknown users: 404. */
  public ChatThread createGroup(String creatorId, String title, Collection<String> memberIds) {
    checkTitle(title);
    LinkedHashSet<String> members = new LinkedHashSet<>();
    members.add(creatorId);
    members.addAll(memberIds);
    if (members.size() > MAX_MEMBERS) {
      throw ChatException.badRequest("a group has at most " + MAX_MEMBERS + " members");
    }
    requireUsersExist(members);
    if (!store.blockersAmong(creatorId, members).isEmpty()) {
      throw ChatException.forbidden("a user you listed blocks you");
    }
    ChatThread thread = store.createGroup(title, creatorId, members, clock.millis());
    for (User member : thread.members()) {
      broker.publish(new BrokerEvent.MemberAdded(thread.id(), member.id(), thread));
    }
    return thread;
  }

  /** The direct thread with another user, created on first use. */
  public DirectThreadResult direct(String userId, String otherId) {
    if (userId.equals(otherId)) {
      throw ChatException.badRequest("a direct thread needs another user");
    }
    requireUsersExist(Set.of(otherId));
    if (store.isBlocking(otherId, userId)) {
      throw ChatException.forbidden("this user blocks you");
    }
    DirectThreadResult result = store.findOrCreateDirect(userId, otherId, clock.millis());
    if (result.created()) {
      ChatThread thread = result.thread();
      for (User member : thread.members()) {
        broker.publish(new BrokerEvent.MemberAdded(thread.id(), member.id(), thread));
      }
    }
    return result;
  }

  /** A thread the user belongs to: 404 when unknown, 403 when not a member. */
  public ChatThread get(String userId, String conversationId) {
    ChatThread thread = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    if (!thread.hasMember(userId)) {
      throw ChatException.forbidden("not a member of this thread");
    }
    return thread.withMuted(store.mutedBy(conversationId).contains(userId));
  }

  /** Checks membership: 404 when the thread does not exist, 403 when the user is not in it. */
  public void requireMember(String userId, String conversationId) {
    if (!store.isMember(conversationId, userId)) {
      if (store.findThread(conversationId).isEmpty()) {
        throw ChatException.notFound("no such thread");
      }
      throw ChatException.forbidden("not a member of this thread");
    }
  }

  /**
   * The ids of the conversations {@code userId} belongs to: what a transport registers a new
   * connection for. Blocks (a database round trip).
   */
  public List<String> idsOf(String userId) {
    return store.conversationIdsOf(userId);
  }

  /** The user's threads (see {@link ChatStore#listThreads}), with admins and the user's mutes. */
  public List<ThreadSummary> list(String userId) {
    List<ThreadSummary> summaries = store.listThreads(userId);
    Map<String, List<String>> admins = store.adminsOfConversationsOf(userId);
    Set<String> muted = store.mutedConversationIdsOf(userId);
    if (admins.isEmpty() && muted.isEmpty()) {
      return summaries;
    }
    List<ThreadSummary> out = new ArrayList<>(summaries.size());
    for (ThreadSummary s : summaries) {
      ChatThread t = s.thread();
      List<String> a = admins.get(t.id());
      if (a != null) {
        t = t.withAdmins(a);
      }
      out.add(new ThreadSummary(t.withMuted(muted.contains(t.id())), s.lastMessage(), s.unread()));
    }
    return out;
  }

  /** Any member of a group may add members; adding one already in changes nothing. */
  public ChatThread addMember(String actorId, String conversationId, String userId) {
    ChatThread thread = requireGroupMember(actorId, conversationId,
        "members of a direct thread cannot change");
    if (store.isBlocking(userId, actorId)) {
      throw ChatException.forbidden("this user blocks you");
    }
    if (thread.hasMember(userId)) {
      return thread;
    }
    requireUsersExist(Set.of(userId));
    store.addMember(conversationId, userId, clock.millis());
    ChatThread updated = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    broker.publish(new BrokerEvent.MemberAdded(conversationId, userId, updated));
    publishUpdate(updated, userId);
    return updated;
  }

  /**
   * A member may remove itself (leave); the group's creator may remove anyone, its admins any
   * member who is neither the creator nor an admin.
   */
  public void removeMember(String actorId, String conversationId, String userId) {
    ChatThread thread = requireGroupMember(actorId, conversationId,
        "members of a direct thread cannot change");
    if (!actorId.equals(userId) && !actorId.equals(thread.creator())) {
      if (!thread.admins().contains(actorId)) {
        throw ChatException.forbidden("only the group's creator and admins may remove other members");
      }
      if (userId.equals(thread.creator()) || thread.admins().contains(userId)) {
        throw ChatException.forbidden("only the group's creator may remove its creator or an admin");
      }
    }
    if (!store.removeMember(conversationId, userId)) {
      throw ChatException.notFound("not a member of this thread");
    }
    broker.publish(new BrokerEvent.MemberRemoved(conversationId, userId));
    store.findThread(conversationId).ifPresent(updated -> publishUpdate(updated, null));
  }

  // ---- group roles, renaming, muting (contract 7.4) ---------------------------------------

  /**
   * True when {@code userId} is the creator or an admin of the group {@code conversationId}: who
   * may remove members, rename it, and delete others' messages. False for a direct thread, an
   * unknown thread and a non-member. Blocks (store).
   */
  public boolean isAdminOrCreator(String conversationId, String userId) {
    return store.findThread(conversationId)
        .map(t -> t.hasMember(userId) && t.isAdminOrCreator(userId))
        .orElse(false);
  }

  /**
   * Renames a group: its creator and admins may. 404 unknown thread, 400 direct thread or a bad
   * title, 403 anyone else. Every member's connections get a {@code thread} event.
   */
  public ChatThread rename(String actorId, String conversationId, String title) {
    ChatThread thread = requireGroupMember(actorId, conversationId, "a direct thread has no title");
    if (!thread.isAdminOrCreator(actorId)) {
      throw ChatException.forbidden("only the group's creator and admins may rename it");
    }
    checkTitle(title);
    if (title.equals(thread.title())) {
      return thread.withMuted(store.mutedBy(conversationId).contains(actorId));
    }
    store.renameThread(conversationId, title);
    ChatThread updated = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    publishUpdate(updated, null);
    return updated.withMuted(store.mutedBy(conversationId).contains(actorId));
  }

  /**
   * Makes a member an admin of a group ({@code admin} true) or not: only the group's creator may
   * (403 for anyone else, 400 on a direct thread, 404 unknown thread or a user who is not a
   * member). The creator is no admin of its own group: naming it changes nothing. Every member's
   * connections get a {@code thread} event when something changed.
   */
  public void setAdmin(String actorId, String conversationId, String userId, boolean admin) {
    ChatThread thread = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    if (thread.isDirect()) {
      throw ChatException.badRequest("a direct thread has no admins");
    }
    if (!actorId.equals(thread.creator()) || !thread.hasMember(actorId)) {
      throw ChatException.forbidden("only the group's creator may name admins");
    }
    if (!thread.hasMember(userId)) {
      throw ChatException.notFound("not a member of this thread");
    }
    if (userId.equals(thread.creator()) || thread.admins().contains(userId) == admin) {
      return;
    }
    if (store.setAdmin(conversationId, userId, admin)) {
      store.findThread(conversationId).ifPresent(updated -> publishUpdate(updated, null));
    }
  }

  /**
   * Mutes a thread for the user ({@code muted} true) or not: 404 unknown thread, 403 not a
   * member. Muting stops notifications for that user and thread, nothing else.
   */
  public void setMuted(String userId, String conversationId, boolean muted) {
    if (!store.setMuted(conversationId, userId, muted)) {
      requireMember(userId, conversationId);
      throw ChatException.forbidden("not a member of this thread");
    }
  }

  /** The group, when the actor is a member: 404 unknown, 400 {@code directProblem}, 403. */
  private ChatThread requireGroupMember(String actorId, String conversationId,
                                        String directProblem) {
    ChatThread thread = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    if (thread.isDirect()) {
      throw ChatException.badRequest(directProblem);
    }
    if (!thread.hasMember(actorId)) {
      throw ChatException.forbidden("not a member of this thread");
    }
    return thread;
  }

  private static void checkTitle(String title) {
    if (title == null || title.isBlank()) {
      throw ChatException.badRequest("a group needs a title");
    }
    if (title.length() > MAX_TITLE) {
      throw ChatException.badRequest("title is longer than " + MAX_TITLE + " characters");
    }
  }

  /**
   * Tells the members of every thread of {@code userId} of that thread as it is now, with fresh
   * member objects: the user's name or picture changed. One {@code thread} event per thread.
   */
  public void announceMembersChanged(String userId) {
    for (ThreadSummary summary : store.listThreads(userId)) {
      publishUpdate(summary.thread(), null);
    }
  }

  /** Tells every member's connections (but {@code skipUser}'s) of the thread as it is now. */
  private void publishUpdate(ChatThread snapshot, String skipUser) {
    broker.publish(new BrokerEvent.ThreadUpdated(snapshot.id(), snapshot,
        store.mutedBy(snapshot.id()), skipUser));
  }

  private void requireUsersExist(Set<String> ids) {
    List<User> found = store.findUsers(ids);
    if (found.size() != ids.size()) {
      Set<String> known = found.stream().map(User::id).collect(Collectors.toSet());
      String missing = ids.stream().filter(id -> !known.contains(id)).findFirst().orElse("?");
      throw ChatException.notFound("unknown user " + missing);
    }
  }
}
