package dev.parley.core.store;

import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where users, threads, messages, read positions and attachment metadata live. Every method blocks
 * (JDBC), so callers run it off the event loops. Failures to reach the database surface as
 * {@link dev.parley.protocol.ChatException} with code {@code unavailable}; contract violations
 * (a taken username) with their own code.
 */
public interface ChatStore extends AutoCloseable {

  // ---- users -------------------------------------------------------------------------------

  /**
   * Creates a user with a fresh unguessable id. Usernames are unique regardless of case; the given
   * spelling is kept. Throws a {@code conflict} ChatException when the name is taken.
   */
  User createUser(String username, String displayName, String passwordHash, long now);

  /** The account for a username, matched regardless of case. */
  Optional<UserAccount> findAccountByUsername(String username);

  /** The account by id, disabled ones included; deleted ones are gone. */
  Optional<UserAccount> findAccount(String userId);

  Optional<User> findUser(String userId);

  /** The users among {@code ids} that exist, in no particular order. */
  List<User> findUsers(Collection<String> ids);

  /** Case-insensitive prefix search on username, ordered by lower-case username, at most {@code limit}. */
  List<User> searchUsers(String prefix, int limit);

  void setDisabled(String userId, boolean disabled);

  /** Deletes the user's account (its messages stay, attributed to the id). Returns false if unknown. */
  boolean deleteUser(String userId);

  /** Replaces the user's password hash. Returns false if the user is unknown. */
  boolean updatePasswordHash(String userId, String passwordHash);

  /** Replaces the user's display name (already validated). Returns false if the user is unknown. */
  boolean updateDisplayName(String userId, String displayName);

  /**
   * Makes {@code image} the user's picture, replacing any other; the user's {@link User#avatar}
   * names its version from now on. Returns false if the user is unknown.
   */
  boolean setAvatar(String userId, AvatarImage image, long now);

  /** Removes the user's picture, if any. Returns false if the user is unknown. */
  boolean removeAvatar(String userId);

  /** The user's picture if {@code version} is its current version; empty once replaced or removed. */
  Optional<AvatarImage> findAvatar(String userId, String version);

  /**
   * Records when users were connected (user id to epoch ms), in one transaction; a time earlier
   * than the one recorded changes nothing, and unknown users are skipped.
   */
  void recordLastSeen(Map<String, Long> times);

  /** When the user was last connected, as recorded; empty if never (or unknown user). */
  OptionalLong lastSeen(String userId);

  // ---- sessions ----------------------------------------------------------------------------

  /** Records a new live session at generation 0. */
  void createSession(String sessionId, String userId, long now);

  Optional<SessionRecord> findSession(String sessionId);

  /**
   * Moves a live session from {@code fromGeneration} to the next one, issued at {@code now}.
   * Returns false, changing nothing, when the session is revoked or already past that generation
   * (another refresh won the race).
   */
  boolean rotateSession(String sessionId, long fromGeneration, long now);

  /** Revokes a session. Returns true when this call revoked it, false when it already was or is unknown. */
  boolean revokeSession(String sessionId, long now);

  /**
   * Revokes every live session of a user but {@code exceptSessionId} (null: all of them) and
   * returns the ids it revoked.
   */
  List<String> revokeSessionsOf(String userId, String exceptSessionId, long now);

  /** Sessions revoked at or after {@code since} (epoch ms). */
  List<RevokedSession> sessionsRevokedSince(long since);

  /** Keeps a WebSocket ticket, by the hash of its text, until {@code expiresAt}. */
  void saveTicket(String ticketHash, TicketGrant grant, long expiresAt);

  /**
   * Takes a ticket: returns what it grants and deletes it, in one step, so that two nodes given
   * the same ticket cannot both accept it. Empty when it is unknown, used or expired.
   */
  Optional<TicketGrant> redeemTicket(String ticketHash, long now);

  /**
   * Forgets sessions last refreshed before {@code sessionsRotatedBefore} (their refresh tokens
   * have expired) and tickets that expired before {@code ticketsExpiredBefore}. Returns the rows
   * removed.
   */
  int pruneSessions(long sessionsRotatedBefore, long ticketsExpiredBefore);

  // ---- threads -----------------------------------------------------------------------------

  /**
   * Creates a group thread; {@code memberIds} must include the creator and hold no duplicates.
   */
  ChatThread createGroup(String title, String creatorId, Collection<String> memberIds, long now);

  /**
   * The direct thread of a pair, created if it does not exist yet. Safe under races: two callers
   * for the same pair get the same thread.
   */
  DirectThreadResult findOrCreateDirect(String userA, String userB, long now);

  Optional<ChatThread> findThread(String conversationId);

  boolean isMember(String conversationId, String userId);

  List<String> memberIds(String conversationId);

  /** Ids of every thread the user belongs to. */
  List<String> conversationIdsOf(String userId);

  /** Adds a member; false when already a member. */
  boolean addMember(String conversationId, String userId, long now);

  /** Removes a member; false when not a member. */
  boolean removeMember(String conversationId, String userId);

  /**
   * The user's threads, most recent activity first (last message time, or creation time when
   * empty), each with its last message and the count of other users' messages above the user's
   * read position.
   */
  List<ThreadSummary> listThreads(String userId);

  // ---- messages ----------------------------------------------------------------------------

  /**
   * Stores a batch in one transaction. Each thread's messages get the next seqs of that thread in
   * the order given (gap-free, also with several nodes writing). A message whose
   * (thread, sender, clientId) was stored before, or earlier in the same batch, is not stored
   * again: its result is the first stored message with {@code duplicate = true}. Results are in
   * the order of {@code batch}. All or nothing: on failure nothing of the batch is stored.
   */
  List<AppendResult> appendBatch(List<PendingMessage> batch);

  /**
   * A page of history, ascending by seq. {@code after} alone: the first {@code limit} above it;
   * {@code before} (with or without {@code after}): the last {@code limit} below it (and above
   * {@code after}); neither: the latest {@code limit}. {@code hasMore}: more exist beyond the page
   * in the direction of paging.
   */
  MessagePage history(String conversationId, Long before, Long after, int limit);

  /** Messages with seq above {@code afterSeq}, ascending, at most {@code limit}. */
  List<Message> messagesAfter(String conversationId, long afterSeq, int limit);

  // ---- read positions ----------------------------------------------------------------------

  /** Moves the user's read position forward to {@code seq}; returns the stored position. */
  long markRead(String conversationId, String userId, long seq);

  /** Every member's read position in a thread (members who never read are absent). */
  Map<String, Long> readPositions(String conversationId);

  // ---- attachments -------------------------------------------------------------------------

  void saveAttachment(AttachmentRecord attachment);

  Optional<AttachmentRecord> findAttachment(String attachmentId);

  /** True when the user is a member of a thread where a message referencing the attachment was posted. */
  boolean attachmentPostedToMemberOf(String attachmentId, String userId);

  /**
   * Attachments no message shows: those whose every message was deleted, and uploads never
   * posted that were uploaded before {@code uploadedBefore}; oldest first, at most {@code limit}.
   * A store without attachment clean-up returns none.
   */
  default List<AttachmentRecord> removableAttachments(long uploadedBefore, int limit) {
    return List.of();
  }

  /** Forgets an attachment unless a message shows it (again); true when it was removed. */
  default boolean deleteAttachment(String attachmentId) {
    return false;
  }

  // ---- notifications -----------------------------------------------------------------------

  /**
   * Keeps {@code candidate} as the server's VAPID key pair unless one is kept already, and returns
   * the one kept. Safe under races: nodes starting at once all get the same pair.
   */
  VapidKeys keepVapidKeys(VapidKeys candidate);

  /**
   * Stores a push subscription. One with the same user and endpoint is replaced; beyond
   * {@code maxPerUser} subscriptions of the user, the oldest are deleted.
   */
  void addPushSubscription(PushSubscriptionRecord subscription, int maxPerUser);

  /** Deletes a subscription of the user; false when the user has none with that id. */
  boolean deletePushSubscription(String userId, String subscriptionId);

  /** Deletes a subscription whatever its user (the push service said it is gone). */
  void deletePushSubscription(String subscriptionId);

  /** Every subscription of these users. */
  List<PushSubscriptionRecord> pushSubscriptions(Collection<String> userIds);

  /**
   * True when the user muted the thread (no notifications). Muting is issue 16: until it lands
   * nobody has muted anything.
   */
  default boolean isMuted(String conversationId, String userId) {
    return false;
  }

  /**
   * Makes a webhook receiver known. A new one starts at the end of every thread's log (it is
   * given what happens from now on, not the history); a known one keeps its cursors.
   */
  void registerWebhookReceiver(String receiver, long now);

  /**
   * Takes or renews the lease to deliver to a receiver until {@code until}: true when
   * {@code holder} has it (it was free, expired, or already held by {@code holder}).
   */
  boolean leaseWebhookReceiver(String receiver, String holder, long now, long until);

  /**
   * Gives up {@code holder}'s lease on a receiver (a node stopping cleanly), so that another node
   * takes it at once instead of when it runs out. Does nothing when {@code holder} does not hold it.
   */
  void releaseWebhookReceiver(String receiver, String holder);

  /** Up to {@code limit} threads with entries above the receiver's cursor. */
  List<WebhookBacklog> webhookBacklog(String receiver, int limit);

  /** Entries the receiver has not been given, over every thread. */
  long webhookQueueLength(String receiver);

  /** Moves the receiver's cursor of a thread forward to {@code seq}. */
  void advanceWebhookCursor(String receiver, String conversationId, long seq);

  /**
   * The log entries of a thread above {@code afterSeq}, ascending, at most {@code limit}, as the
   * frames a connection receives. Today the log holds messages only; the thread log (issue 15)
   * adds its change entries here.
   */
  default List<LogEntry> logEntriesAfter(String conversationId, long afterSeq, int limit) {
    List<LogEntry> out = new java.util.ArrayList<>();
    for (Message m : messagesAfter(conversationId, afterSeq, limit)) {
      out.add(new LogEntry(m.seq(), new dev.parley.protocol.frame.MessageFrame(m)));
    }
    return out;
  }

  // ---- blocking, muting, group roles (contract 7.4) -------------------------------------

  /** {@code blockerId} blocks {@code blockedId}; true when new. Unknown user: {@code not_found}. */
  boolean block(String blockerId, String blockedId, long now);

  /** Lifts a block; true when there was one. */
  boolean unblock(String blockerId, String blockedId);

  /** The users {@code blockerId} blocks, oldest block first. */
  List<User> blockedUsers(String blockerId);

  /** How many users {@code blockerId} blocks. */
  int blockCount(String blockerId);

  /** True while {@code blockerId} blocks {@code blockedId}. */
  boolean isBlocking(String blockerId, String blockedId);

  /** The users among {@code candidates} who block {@code blockedId}. */
  Set<String> blockersAmong(String blockedId, Collection<String> candidates);

  /** Every block, as blocked user to the users who block them (a node's block list at start). */
  Map<String, Set<String>> blockersByBlocked();

  /** Sets a member's mute of a thread; false when the user is not a member. */
  boolean setMuted(String conversationId, String userId, boolean muted);

  /** The ids of the threads the user muted. */
  Set<String> mutedConversationIdsOf(String userId);

  /** The members who muted a thread. */
  List<String> mutedBy(String conversationId);

  /** Makes a member an admin of a group, or not; false when the user is not a member. */
  boolean setAdmin(String conversationId, String userId, boolean admin);

  /** The admins of each thread the user belongs to (threads without admins are absent). */
  Map<String, List<String>> adminsOfConversationsOf(String userId);

  /** Renames a thread; false when it does not exist. */
  boolean renameThread(String conversationId, String title);

  // ---- search (contract 7.3) --------------------------------------------------------------

  /**
   * Messages of the threads {@code userId} is a member of now (of {@code conversationId} only,
   * when given) holding every one of {@code words} (normalised as {@code SearchText} does; the
   * last one also as a prefix), newest first ({@code ts}, then id, descending), strictly after
   * the cursor ({@code beforeTs}, {@code beforeId}) when given, at most {@code limit}.
   */
  List<Message> searchMessages(String userId, List<String> words, String conversationId,
                               Long beforeTs, String beforeId, int limit);

  // ---- health ------------------------------------------------------------------------------

  /** A cheap round trip to the database; false when it cannot be reached. Never throws. */
  boolean isHealthy();

  @Override
  void close();
}
