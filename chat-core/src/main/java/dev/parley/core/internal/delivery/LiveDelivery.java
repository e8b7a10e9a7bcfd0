package dev.parley.core.internal.delivery;

import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.BrokerListener;
import dev.parley.core.internal.registry.ConnectionRegistry;
import dev.parley.core.internal.registry.LocalUser;
import dev.parley.core.internal.registry.LocalConversation;
import dev.parley.core.session.Session;
import dev.parley.core.store.ChatStore;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.frame.PresenceEvent;
import dev.parley.protocol.frame.ReadEvent;
import dev.parley.protocol.frame.RemovedEvent;
import dev.parley.protocol.frame.ThreadEvent;
import dev.parley.protocol.frame.TypingEvent;
import dev.parley.protocol.model.Message;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Delivers what the broker brings to this node's sessions: each event is encoded once and the
 * same bytes are handed to every recipient connection.
 *
 * <p>On one node (the in-memory broker) messages come from the single commit thread, already in
 * seq order, and go straight out. In a cluster they come from several nodes, so an
 * {@linkplain #ordered ordered} delivery passes them through a {@link ConversationSequencer} first.
 */
public final class LiveDelivery implements BrokerListener {
  private final ConnectionRegistry registry;
  private final FrameCodec codec;
  private final ConversationSequencer sequencer;
  /** (subject, viewer): true when the viewer gets no typing or presence of the subject (a block). */
  private volatile java.util.function.BiPredicate<String, String> hidden = (subject, viewer) -> false;

  /** Delivery for one node: messages are delivered in the order they are published. */
  public LiveDelivery(ConnectionRegistry registry, FrameCodec codec) {
    this.registry = registry;
    this.codec = codec;
    this.sequencer = null;
  }

  private LiveDelivery(ConnectionRegistry registry, FrameCodec codec, ChatStore store,
                       ScheduledExecutorService timer, Executor worker) {
    this.registry = registry;
    this.codec = codec;
    this.sequencer = new ConversationSequencer(store, this::fanOut, timer, worker);
  }

  /**
   * Delivery for a cluster node: each thread's messages reach the connections in seq order, gaps
   * filled from {@code store} (see {@link ConversationSequencer}). The registry's conversation callbacks must
   * call {@link #conversationOpened} and {@link #conversationClosed}.
   */
  public static LiveDelivery ordered(ConnectionRegistry registry, FrameCodec codec, ChatStore store,
                                     ScheduledExecutorService timer, Executor worker) {
    return new LiveDelivery(registry, codec, store, timer, worker);
  }

  /**
   * Hides a user's typing and presence from the viewers {@code hidden} names: (subject, viewer)
   * is true when the subject blocks the viewer.
   */
  public void hideWith(java.util.function.BiPredicate<String, String> hidden) {
    this.hidden = hidden;
  }

  /** A thread got its first local member: ordered delivery learns where the thread stands. */
  public void conversationOpened(String conversationId) {
    if (sequencer != null) {
      sequencer.open(conversationId);
    }
  }

  /**
   * A thread lost its last local member: ordered delivery forgets its state. The registry reports
   * outside its locks, so the conversation may have been opened again (and {@link #conversationOpened} already
   * run) since it closed: then the state is learned again.
   */
  public void conversationClosed(String conversationId) {
    if (sequencer != null && registry.conversation(conversationId) == null) {
      sequencer.forget(conversationId);
      if (registry.conversation(conversationId) != null) {
        sequencer.open(conversationId);
      }
    }
  }

  @Override
  public void onEvent(BrokerEvent event) {
    if (event instanceof BrokerEvent.MessageStored m) {
      deliverMessage(m);
    } else if (event instanceof BrokerEvent.Typing t) {
      deliverTyping(t);
    } else if (event instanceof BrokerEvent.Read r) {
      deliverRead(r);
    } else if (event instanceof BrokerEvent.MemberAdded a) {
      memberAdded(a);
    } else if (event instanceof BrokerEvent.MemberRemoved r) {
      memberRemoved(r);
    } else if (event instanceof BrokerEvent.Presence p) {
      deliverPresence(p);
    } else if (event instanceof BrokerEvent.UserDisabled d) {
      disconnect(d.user());
    } else if (event instanceof BrokerEvent.ThreadUpdated u) {
      threadUpdated(u);
    }
  }

  private void deliverMessage(BrokerEvent.MessageStored event) {
    if (registry.conversation(event.thread()) == null) {
      return;
    }
    if (sequencer == null) {
      fanOut(event.message());
    } else {
      sequencer.accept(event.message());
    }
  }

  private void fanOut(Message message) {
    LocalConversation conversation = registry.conversation(message.thread());
    if (conversation == null) {
      return;
    }
    byte[] encoded = codec.encode(new MessageFrame(message));
    long seq = message.seq();
    for (LocalUser user : conversation.users()) {
      for (Session session : user.sessions()) {
        session.deliverMessage(message.thread(), seq, encoded);
      }
    }
  }

  private void deliverTyping(BrokerEvent.Typing event) {
    LocalConversation conversation = registry.conversation(event.thread());
    if (conversation == null) {
      return;
    }
    byte[] encoded = null;
    for (LocalUser user : conversation.users()) {
      if (user.userId().equals(event.user()) || hidden.test(event.user(), user.userId())) {
        continue;
      }
      if (encoded == null) {
        encoded = codec.encode(new TypingEvent(event.thread(), event.user()));
      }
      for (Session session : user.sessions()) {
        session.sendEncoded(encoded);
      }
    }
  }

  private void deliverRead(BrokerEvent.Read event) {
    LocalConversation conversation = registry.conversation(event.thread());
    if (conversation == null) {
      return;
    }
    byte[] encoded = codec.encode(new ReadEvent(event.thread(), event.user(), event.seq()));
    for (LocalUser user : conversation.users()) {
      for (Session session : user.sessions()) {
        if (!session.hasId(event.originConnection())) {
          session.sendEncoded(encoded);
        }
      }
    }
  }

  private void memberAdded(BrokerEvent.MemberAdded event) {
    LocalUser user = registry.join(event.user(), event.thread());
    if (user == null) {
      return;
    }
    byte[] encoded = codec.encode(new ThreadEvent(event.snapshot()));
    for (Session session : user.sessions()) {
      session.sendEncoded(encoded);
    }
  }

  private void memberRemoved(BrokerEvent.MemberRemoved event) {
    LocalUser user = registry.leave(event.user(), event.thread());
    if (user == null) {
      return;
    }
    byte[] encoded = codec.encode(new RemovedEvent(event.thread()));
    for (Session session : user.sessions()) {
      session.sendEncoded(encoded);
    }
  }

  private void threadUpdated(BrokerEvent.ThreadUpdated event) {
    LocalConversation conversation = registry.conversation(event.thread());
    if (conversation == null) {
      return;
    }
    byte[] plain = null;
    byte[] muted = null;
    for (LocalUser user : conversation.users()) {
      if (user.userId().equals(event.skipUser())) {
        continue;
      }
      byte[] encoded;
      if (event.mutedBy().contains(user.userId())) {
        if (muted == null) {
          muted = codec.encode(new ThreadEvent(event.snapshot().withMuted(true)));
        }
        encoded = muted;
      } else {
        if (plain == null) {
          plain = codec.encode(new ThreadEvent(event.snapshot().withMuted(false)));
        }
        encoded = plain;
      }
      for (Session session : user.sessions()) {
        session.sendEncoded(encoded);
      }
    }
  }

  private void deliverPresence(BrokerEvent.Presence event) {
    // the users who share a thread with the subject and are connected here, the subject excluded
    Set<LocalUser> recipients = new HashSet<>();
    for (String conversationId : event.threads()) {
      LocalConversation conversation = registry.conversation(conversationId);
      if (conversation == null) {
        continue;
      }
      for (LocalUser user : conversation.users()) {
        if (!user.userId().equals(event.user()) && !hidden.test(event.user(), user.userId())) {
          recipients.add(user);
        }
      }
    }
    if (recipients.isEmpty()) {
      return;
    }
    byte[] encoded = codec.encode(new PresenceEvent(event.user(), event.online() ? "online" : "offline"));
    for (LocalUser user : recipients) {
      for (Session session : user.sessions()) {
        session.sendEncoded(encoded);
      }
    }
  }

  /** Closes with 4401 the local connections that hold a token of a revoked login session. */
  public void closeLoginSession(String userId, String loginSessionId) {
    LocalUser user = registry.user(userId);
    if (user == null) {
      return;
    }
    for (Session session : user.sessions()) {
      if (loginSessionId.equals(session.loginSessionId())) {
        session.connection().close(CloseCodes.TOKEN_EXPIRED, "session revoked");
      }
    }
  }

  private void disconnect(String userId) {
    LocalUser user = registry.user(userId);
    if (user == null) {
      return;
    }
    for (Session session : user.sessions()) {
      session.connection().close(CloseCodes.USER_DISABLED, "user disabled");
    }
  }
}
