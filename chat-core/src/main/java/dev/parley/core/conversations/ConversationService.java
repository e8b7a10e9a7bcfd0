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
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
    if (title == null || title.isBlank()) {
      throw ChatException.badRequest("a group needs a title");
    }
    if (title.length() > MAX_TITLE) {
      throw ChatException.badRequest("title is longer than " + MAX_TITLE + " characters");
    }
    LinkedHashSet<String> members = new LinkedHashSet<>();
    members.add(creatorId);
    members.addAll(memberIds);
    if (members.size() > MAX_MEMBERS) {
      throw ChatException.badRequest("a group has at most " + MAX_MEMBERS + " members");
    }
    requireUsersExist(members);
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
    return thread;
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

  public List<ThreadSummary> list(String userId) {
    return store.listThreads(userId);
  }

  /** Any member of a group may add members; adding one already in changes nothing. */
  public ChatThread addMember(String actorId, String conversationId, String userId) {
    ChatThread thread = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    if (thread.isDirect()) {
      throw ChatException.badRequest("members of a direct thread cannot change");
    }
    if (!thread.hasMember(actorId)) {
      throw ChatException.forbidden("not a member of this thread");
    }
    if (thread.hasMember(userId)) {
      return thread;
    }
    requireUsersExist(Set.of(userId));
    store.addMember(conversationId, userId, clock.millis());
    ChatThread updated = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    broker.publish(new BrokerEvent.MemberAdded(conversationId, userId, updated));
    return updated;
  }

  /** A member may remove itself; removing others is for the group's creator. */
  public void removeMember(String actorId, String conversationId, String userId) {
    ChatThread thread = store.findThread(conversationId)
        .orElseThrow(() -> ChatException.notFound("no such thread"));
    if (thread.isDirect()) {
      throw ChatException.badRequest("members of a direct thread cannot change");
    }
    if (!thread.hasMember(actorId)) {
      throw ChatException.forbidden("not a member of this thread");
    }
    if (!actorId.equals(userId) && !actorId.equals(thread.creator())) {
      throw ChatException.forbidden("only the group's creator may remove other members");
    }
    if (!store.removeMember(conversationId, userId)) {
      throw ChatException.notFound("not a member of this thread");
    }
    broker.publish(new BrokerEvent.MemberRemoved(conversationId, userId));
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
