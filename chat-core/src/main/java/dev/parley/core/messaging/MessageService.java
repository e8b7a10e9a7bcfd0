package dev.parley.core.messaging;

import dev.parley.core.EngineConfig;
import dev.parley.core.MessageInterceptor;
import dev.parley.core.broker.Broker;
import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.internal.delivery.GroupCommitWriter;
import dev.parley.core.internal.limit.RateLimiter;
import dev.parley.core.limits.Limiter;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.AttachmentRecord;
import dev.parley.core.store.ChatStore;
import dev.parley.core.store.MessagePage;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.internal.util.Ids;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sending, reading and paging messages. Membership is the caller's to check (the WebSocket path
 * checks the in-memory registry, REST asks the store). Methods that say they block run on worker
 * threads.
 *
 * <h2>The send path's guarantees</h2>
 * This is the one place they are stated.
 * <ul>
 *   <li><b>Ack only after a durable commit.</b> {@link #send} only queues; the commit writer
 *   stores a batch in one transaction and calls each {@link SendCallback} after it commits
 *   ({@code GroupCommitWriter}).
 *   <li><b>Seq order.</b> One commit thread assigns seqs and runs the callbacks and publishes in
 *   seq order per thread; on a cluster, {@code ConversationSequencer} restores that order for events
 *   from other nodes.
 *   <li><b>Ack before message</b> on the sender's connection: enforced in one place, the private
 *   {@code AckThenPublish} callback, which hands the result to the sender's callback before it
 *   publishes, both on the commit thread. A duplicate clientId gets the first message's ack and
 *   no delivery.
 * </ul>
 */
public final class MessageService {
  private static final int MAX_CLIENT_ID = 128;

  private final ChatStore store;
  private final GroupCommitWriter writer;
  private final Broker broker;
  /** Checked here, on the caller's thread; null when the writer checks sends (shared limits). */
  private final Limiter sendLimiter;
  private final RateLimiter typingLimiter;
  private final EngineConfig config;
  private final Clock clock;
  private final MessageInterceptor interceptor;

  /**
   * With the send limiter to check on the caller's thread (it must never block: sends are checked
   * on event loops), or null when the writer's send gate checks them on the commit thread (a
   * limiter shared through Redis).
   */
  public MessageService(ChatStore store, GroupCommitWriter writer, Broker broker,
                        EngineConfig config, Clock clock, MessageInterceptor interceptor,
                        Limiter sendLimiter) {
    this.interceptor = interceptor;
    this.store = store;
    this.writer = writer;
    this.broker = broker;
    this.config = config;
    this.clock = clock;
    this.sendLimiter = sendLimiter;
    this.typingLimiter = new RateLimiter(config.typingRate(), (int) Math.max(1, Math.ceil(config.typingRate())));
  }

  /**
   * Checks a message and queues it for the next commit. After the commit the callback hears of it
   * (an ack can go out), then the message is published for live delivery, unless it repeated a
   * clientId, in which case the callback gets the first stored message and nothing is delivered.
   * Throws a ChatException (bad_request, too_large, rate_limited, unavailable) when refused.
   */
  public void send(String senderId, String conversationId, String body, String clientId,
                   List<Attachment> attachments, SendCallback callback) {
    send(senderId, conversationId, body, clientId, attachments, null, callback);
  }

  /**
   * Like {@link #send(String, String, String, String, List, SendCallback)}, as a reply to the
   * message at seq {@code replyTo} (null: no reply). A replyTo that is not a message of the
   * thread fails the callback with {@code not_found} and nothing is stored. A message with
   * attachments may have an empty body.
   */
  public void send(String senderId, String conversationId, String body, String clientId,
                   List<Attachment> attachments, Long replyTo, SendCallback callback) {
    boolean mayBeEmpty = attachments != null && !attachments.isEmpty();
    checkBody(body, mayBeEmpty);
    if (interceptor != null) {
      body = interceptor.intercept(senderId, conversationId, body);
      checkBody(body, mayBeEmpty);
    }
    checkClientId(clientId);
    takeSendToken(senderId);
    PendingMessage pending = new PendingMessage(Ids.newTimeOrderedId(), conversationId, senderId, body,
        clock.millis(), clientId, attachments, replyTo, null);
    // with no limiter here, the writer's send gate takes the sender's token before the commit
    writer.submit(pending, sendLimiter == null ? senderId : null, new AckThenPublish(callback));
  }

  /**
   * Checks a change to the message at seq {@code change.target()} and queues its log entry for
   * the next commit, through the same group commit as sends (contract 7.2). {@code body} is the
   * new text of an edit (ignored otherwise). The rules that depend on the stored thread (the
   * target is a message of it, not deleted, the user may change it, the emoji, 20 reactions)
   * are checked in the commit transaction, in the contract's order; a refused change fails the
   * callback and stores nothing. A reaction that changes nothing stores nothing either: the
   * callback gets a result with {@code changed} false and the thread's last seq. Membership is
   * the caller's to check. Changes count against the send rate limit.
   */
  public void change(String userId, String conversationId, Change change, String body, String clientId,
                     SendCallback callback) {
    String text = "";
    if (change.kind() == Change.Kind.EDITED) {
      // an edit of a message with attachments may empty the body: the store checks that
      checkBody(body, true);
      text = body;
      if (interceptor != null) {
        text = interceptor.interceptEdit(userId, conversationId, change.target(), text);
        checkBody(text, true);
      }
    }
    checkClientId(clientId);
    takeSendToken(userId);
    PendingMessage pending = new PendingMessage(Ids.newTimeOrderedId(), conversationId, userId, text,
        clock.millis(), clientId, List.of(), null, change);
    writer.submit(pending, sendLimiter == null ? userId : null, new AckThenPublish(callback));
  }

  /** Edits a message for the host application; completes once the edit is stored. */
  public CompletableFuture<AppendResult> edit(String userId, String conversationId, long target, String body) {
    return changing(userId, conversationId, Change.edited(target), body);
  }

  /** Deletes (erases) a message for the host application; completes once stored. */
  public CompletableFuture<AppendResult> delete(String userId, String conversationId, long target) {
    return changing(userId, conversationId, Change.deleted(target), null);
  }

  /**
   * Turns a user's reaction on or off for the host application; completes once stored (with
   * {@code changed} false when it changed nothing).
   */
  public CompletableFuture<AppendResult> react(String userId, String conversationId, long target,
                                               String emoji, boolean on) {
    if (emoji == null) {
      return CompletableFuture.failedFuture(ChatException.badRequest("emoji must not be empty"));
    }
    return changing(userId, conversationId, Change.reaction(target, emoji, on), null);
  }

  private CompletableFuture<AppendResult> changing(String userId, String conversationId, Change change,
                                                   String body) {
    CompletableFuture<AppendResult> done = new CompletableFuture<>();
    try {
      change(userId, conversationId, change, body, null, SendCallback.completing(done, r -> r));
    } catch (ChatException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private static void checkClientId(String clientId) {
    if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID)) {
      throw ChatException.badRequest("clientId must be 1 to " + MAX_CLIENT_ID + " characters");
    }
  }

  private void takeSendToken(String userId) {
    if (sendLimiter != null && !sendLimiter.tryAcquire(userId)) {
      throw new ChatException(ErrorCode.RATE_LIMITED, "sending too fast, slow down");
    }
  }

  /**
   * The one place "ack before message" is enforced: every commit result reaches the sender's
   * callback (which writes the ack) before the message is published for live delivery, both on
   * the commit thread, so the sender's connection is given the ack first.
   */
  private final class AckThenPublish implements SendCallback {
    private final SendCallback sender;

    AckThenPublish(SendCallback sender) {
      this.sender = sender;
    }

    @Override
    public void stored(AppendResult result) {
      sender.stored(result);
      if (result.delivers()) {
        broker.publish(new BrokerEvent.MessageStored(result.message()));
      }
    }

    @Override
    public void failed(ChatException error) {
      sender.failed(error);
    }
  }

  /**
   * True when an interceptor must see each message first: callers on an event loop then hand
   * {@link #send} to a worker thread.
   */
  public boolean intercepts() {
    return interceptor != null;
  }

  /**
   * Sends a message and completes when it is stored: for the host application, e.g. a system
   * message from a sender id of its choosing. Membership is not checked. Completes exceptionally
   * with a ChatException when refused or not stored.
   */
  public java.util.concurrent.CompletableFuture<Message> post(String senderId, String conversationId,
                                                               String body) {
    java.util.concurrent.CompletableFuture<Message> done = new java.util.concurrent.CompletableFuture<>();
    try {
      send(senderId, conversationId, body, null, List.of(),
          SendCallback.completing(done, AppendResult::message));
    } catch (ChatException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Body rules: present, 1 to the body limit in UTF-8 bytes. */
  public void checkBody(String body) {
    checkBody(body, false);
  }

  /**
   * Body rules: present, at most the body limit in UTF-8 bytes, and not empty unless
   * {@code mayBeEmpty} (a message with attachments, contract 7.2).
   */
  public void checkBody(String body, boolean mayBeEmpty) {
    if (body == null || (body.isEmpty() && !mayBeEmpty)) {
      throw ChatException.badRequest("body must not be empty");
    }
    // a char is at most 3 bytes: only long bodies need counting
    if (body.length() * 3L > config.bodyLimitBytes() && Utf8.length(body) > config.bodyLimitBytes()) {
      throw new ChatException(ErrorCode.TOO_LARGE,
          "body is over the limit of " + config.bodyLimitBytes() + " bytes");
    }
  }

  /**
   * Turns attachment ids into attachments, checking that each exists and was uploaded by the
   * sender. Blocks (store).
   */
  public List<Attachment> resolveAttachments(String senderId, List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      return List.of();
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>(ids);
    if (unique.size() > config.maxAttachments()) {
      throw ChatException.badRequest("at most " + config.maxAttachments() + " attachments per message");
    }
    List<Attachment> out = new ArrayList<>(unique.size());
    for (String id : unique) {
      Optional<AttachmentRecord> found = store.findAttachment(id);
      if (found.isEmpty() || !found.get().uploaderId().equals(senderId)) {
        throw ChatException.badRequest("unknown attachment " + id);
      }
      out.add(found.get().attachment());
    }
    return out;
  }

  /** Relays a typing signal to the other members, at most a few per second per user and thread. */
  public void typing(String userId, String conversationId) {
    if (typingLimiter.tryAcquire(userId + '\n' + conversationId)) {
      broker.publish(new BrokerEvent.Typing(conversationId, userId));
    }
  }

  /**
   * Moves the user's read position forward and tells the other members and the user's other
   * connections. Returns the stored position. Blocks (store).
   */
  public long markRead(String userId, String conversationId, long seq, String originConnection) {
    if (seq < 0) {
      throw ChatException.badRequest("seq must not be negative");
    }
    long stored = store.markRead(conversationId, userId, seq);
    // a seq below the stored position is ignored; one past the end is capped by the store
    if (stored > 0 && seq >= stored) {
      broker.publish(new BrokerEvent.Read(conversationId, userId, stored, originConnection));
    }
    return stored;
  }

  /** A page of history (see {@link ChatStore#history}); limit 1..200 after clamping above. Blocks. */
  public MessagePage history(String conversationId, Long before, Long after, int limit) {
    if (limit < 1) {
      throw ChatException.badRequest("limit must be at least 1");
    }
    return store.history(conversationId, before, after, Math.min(limit, 200));
  }

  /** Every member's read position in a thread (members who never read are absent). Blocks. */
  public java.util.Map<String, Long> readPositions(String conversationId) {
    return store.readPositions(conversationId);
  }

  /** Messages above a seq, ascending. Blocks. */
  public List<Message> after(String conversationId, long seq, int limit) {
    return store.messagesAfter(conversationId, seq, limit);
  }

  /** Forgets idle rate-limit buckets; called now and then. */
  public void evictIdleLimits() {
    if (sendLimiter != null) {
      sendLimiter.evictIdle();
    }
    typingLimiter.evictIdle();
  }
}
