package dev.parley.core.testing;

import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.AvatarImage;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.RevokedSession;
import dev.parley.core.store.SessionRecord;
import dev.parley.core.store.TicketGrant;
import dev.parley.core.store.UserAccount;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.protocol.model.User;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link ChatStore} that hands every call to a real store. Not final on purpose: a test
 * overrides the one method it wants to slow down or break (e.g. {@link #appendBatch} waiting on a
 * latch), and everything else stays real. No mocks.
 */
public class DelegatingChatStore implements ChatStore {
  private final ChatStore delegate;

  public DelegatingChatStore(ChatStore delegate) {
    this.delegate = delegate;
  }

  /** The real store underneath. */
  public final ChatStore delegate() {
    return delegate;
  }

  @Override
  public User createUser(String username, String displayName, String passwordHash, long now) {
    return delegate.createUser(username, displayName, passwordHash, now);
  }

  @Override
  public Optional<UserAccount> findAccountByUsername(String username) {
    return delegate.findAccountByUsername(username);
  }

  @Override
  public Optional<UserAccount> findAccount(String userId) {
    return delegate.findAccount(userId);
  }

  @Override
  public Optional<User> findUser(String userId) {
    return delegate.findUser(userId);
  }

  @Override
  public List<User> findUsers(Collection<String> ids) {
    return delegate.findUsers(ids);
  }

  @Override
  public List<User> searchUsers(String prefix, int limit) {
    return delegate.searchUsers(prefix, limit);
  }

  @Override
  public void setDisabled(String userId, boolean disabled) {
    delegate.setDisabled(userId, disabled);
  }

  @Override
  public boolean deleteUser(String userId) {
    return delegate.deleteUser(userId);
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    return delegate.updatePasswordHash(userId, passwordHash);
  }

  @Override
  public boolean updateDisplayName(String userId, String displayName) {
    return delegate.updateDisplayName(userId, displayName);
  }

  @Override
  public boolean setAvatar(String userId, AvatarImage image, long now) {
    return delegate.setAvatar(userId, image, now);
  }

  @Override
  public boolean removeAvatar(String userId) {
    return delegate.removeAvatar(userId);
  }

  @Override
  public Optional<AvatarImage> findAvatar(String userId, String version) {
    return delegate.findAvatar(userId, version);
  }

  @Override
  public void recordLastSeen(Map<String, Long> times) {
    delegate.recordLastSeen(times);
  }

  @Override
  public OptionalLong lastSeen(String userId) {
    return delegate.lastSeen(userId);
  }

  @Override
  public void createSession(String sessionId, String userId, long now) {
    delegate.createSession(sessionId, userId, now);
  }

  @Override
  public Optional<SessionRecord> findSession(String sessionId) {
    return delegate.findSession(sessionId);
  }

  @Override
  public boolean rotateSession(String sessionId, long fromGeneration, long now) {
    return delegate.rotateSession(sessionId, fromGeneration, now);
  }

  @Override
  public boolean revokeSession(String sessionId, long now) {
    return delegate.revokeSession(sessionId, now);
  }

  @Override
  public List<String> revokeSessionsOf(String userId, String exceptSessionId, long now) {
    return delegate.revokeSessionsOf(userId, exceptSessionId, now);
  }

  @Override
  public List<RevokedSession> sessionsRevokedSince(long since) {
    return delegate.sessionsRevokedSince(since);
  }

  @Override
  public void saveTicket(String ticketHash, TicketGrant grant, long expiresAt) {
    delegate.saveTicket(ticketHash, grant, expiresAt);
  }

  @Override
  public Optional<TicketGrant> redeemTicket(String ticketHash, long now) {
    return delegate.redeemTicket(ticketHash, now);
  }

  @Override
  public int pruneSessions(long sessionsRotatedBefore, long ticketsExpiredBefore) {
    return delegate.pruneSessions(sessionsRotatedBefore, ticketsExpiredBefore);
  }

  @Override
  public ChatThread createGroup(String title, String creatorId, Collection<String> memberIds, long now) {
    return delegate.createGroup(title, creatorId, memberIds, now);
  }

  @Override
  public DirectThreadResult findOrCreateDirect(String userA, String userB, long now) {
    return delegate.findOrCreateDirect(userA, userB, now);
  }

  @Override
  public Optional<ChatThread> findThread(String conversationId) {
    return delegate.findThread(conversationId);
  }

  @Override
  public boolean isMember(String conversationId, String userId) {
    return delegate.isMember(conversationId, userId);
  }

  @Override
  public List<String> memberIds(String conversationId) {
    return delegate.memberIds(conversationId);
  }

  @Override
  public List<String> conversationIdsOf(String userId) {
    return delegate.conversationIdsOf(userId);
  }

  @Override
  public boolean addMember(String conversationId, String userId, long now) {
    return delegate.addMember(conversationId, userId, now);
  }

  @Override
  public boolean removeMember(String conversationId, String userId) {
    return delegate.removeMember(conversationId, userId);
  }

  @Override
  public List<ThreadSummary> listThreads(String userId) {
    return delegate.listThreads(userId);
  }

  @Override
  public List<AppendResult> appendBatch(List<PendingMessage> batch) {
    return delegate.appendBatch(batch);
  }

  @Override
  public MessagePage history(String conversationId, Long before, Long after, int limit) {
    return delegate.history(conversationId, before, after, limit);
  }

  @Override
  public List<Message> messagesAfter(String conversationId, long afterSeq, int limit) {
    return delegate.messagesAfter(conversationId, afterSeq, limit);
  }

  @Override
  public long markRead(String conversationId, String userId, long seq) {
    return delegate.markRead(conversationId, userId, seq);
  }

  @Override
  public Map<String, Long> readPositions(String conversationId) {
    return delegate.readPositions(conversationId);
  }

  @Override
  public void saveAttachment(AttachmentRecord attachment) {
    delegate.saveAttachment(attachment);
  }

  @Override
  public Optional<AttachmentRecord> findAttachment(String attachmentId) {
    return delegate.findAttachment(attachmentId);
  }

  @Override
  public boolean attachmentPostedToMemberOf(String attachmentId, String userId) {
    return delegate.attachmentPostedToMemberOf(attachmentId, userId);
  }

  @Override
  public List<AttachmentRecord> removableAttachments(long uploadedBefore, int limit) {
    return delegate.removableAttachments(uploadedBefore, limit);
  }

  @Override
  public boolean deleteAttachment(String attachmentId) {
    return delegate.deleteAttachment(attachmentId);
  }

  @Override
  public boolean isHealthy() {
    return delegate.isHealthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
  @Override
  public dev.parley.core.store.VapidKeys keepVapidKeys(dev.parley.core.store.VapidKeys candidate) {
    return delegate.keepVapidKeys(candidate);
  }

  @Override
  public void addPushSubscription(dev.parley.core.store.PushSubscriptionRecord s, int maxPerUser) {
    delegate.addPushSubscription(s, maxPerUser);
  }

  @Override
  public boolean deletePushSubscription(String userId, String subscriptionId) {
    return delegate.deletePushSubscription(userId, subscriptionId);
  }

  @Override
  public void deletePushSubscription(String subscriptionId) {
    delegate.deletePushSubscription(subscriptionId);
  }

  @Override
  public List<dev.parley.core.store.PushSubscriptionRecord> pushSubscriptions(Collection<String> userIds) {
    return delegate.pushSubscriptions(userIds);
  }

  @Override
  public boolean isMuted(String conversationId, String userId) {
    return delegate.isMuted(conversationId, userId);
  }

  @Override
  public void registerWebhookReceiver(String receiver, long now) {
    delegate.registerWebhookReceiver(receiver, now);
  }

  @Override
  public boolean leaseWebhookReceiver(String receiver, String holder, long now, long until) {
    return delegate.leaseWebhookReceiver(receiver, holder, now, until);
  }

  @Override
  public void releaseWebhookReceiver(String receiver, String holder) {
    delegate.releaseWebhookReceiver(receiver, holder);
  }

  @Override
  public List<dev.parley.core.store.WebhookBacklog> webhookBacklog(String receiver, int limit) {
    return delegate.webhookBacklog(receiver, limit);
  }

  @Override
  public long webhookQueueLength(String receiver) {
    return delegate.webhookQueueLength(receiver);
  }

  @Override
  public void advanceWebhookCursor(String receiver, String conversationId, long seq) {
    delegate.advanceWebhookCursor(receiver, conversationId, seq);
  }

  @Override
  public List<dev.parley.core.store.LogEntry> logEntriesAfter(String conversationId,
                                                             long afterSeq, int limit) {
    return delegate.logEntriesAfter(conversationId, afterSeq, limit);
  }

  // ---- blocking, muting, group roles (contract 7.4) -------------------------------------

  @Override
  public boolean block(String blockerId, String blockedId, long now) {
    return delegate.block(blockerId, blockedId, now);
  }

  @Override
  public boolean unblock(String blockerId, String blockedId) {
    return delegate.unblock(blockerId, blockedId);
  }

  @Override
  public List<User> blockedUsers(String blockerId) {
    return delegate.blockedUsers(blockerId);
  }

  @Override
  public int blockCount(String blockerId) {
    return delegate.blockCount(blockerId);
  }

  @Override
  public boolean isBlocking(String blockerId, String blockedId) {
    return delegate.isBlocking(blockerId, blockedId);
  }

  @Override
  public java.util.Set<String> blockersAmong(String blockedId, Collection<String> candidates) {
    return delegate.blockersAmong(blockedId, candidates);
  }

  @Override
  public Map<String, java.util.Set<String>> blockersByBlocked() {
    return delegate.blockersByBlocked();
  }

  @Override
  public boolean setMuted(String conversationId, String userId, boolean muted) {
    return delegate.setMuted(conversationId, userId, muted);
  }

  @Override
  public java.util.Set<String> mutedConversationIdsOf(String userId) {
    return delegate.mutedConversationIdsOf(userId);
  }

  @Override
  public List<String> mutedBy(String conversationId) {
    return delegate.mutedBy(conversationId);
  }

  @Override
  public boolean setAdmin(String conversationId, String userId, boolean admin) {
    return delegate.setAdmin(conversationId, userId, admin);
  }

  @Override
  public Map<String, List<String>> adminsOfConversationsOf(String userId) {
    return delegate.adminsOfConversationsOf(userId);
  }

  @Override
  public boolean renameThread(String conversationId, String title) {
    return delegate.renameThread(conversationId, title);
  }

  @Override
  public List<Message> searchMessages(String userId, List<String> words, String conversationId,
                                      Long beforeTs, String beforeId, int limit) {
    return delegate.searchMessages(userId, words, conversationId, beforeTs, beforeId, limit);
  }
}
