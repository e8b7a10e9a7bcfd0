package dev.parley.core.session;

import dev.parley.core.WireErrors;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.core.auth.Authenticator;
import dev.parley.core.messaging.MessageService;
import dev.parley.core.messaging.SendCallback;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.store.AppendResult;
import dev.parley.core.conversations.ConversationService;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.frame.AuthAckFrame;
import dev.parley.protocol.frame.AuthFrame;
import dev.parley.protocol.frame.ChangeAckFrame;
import dev.parley.protocol.frame.ChangeFrame;
import dev.parley.protocol.frame.DeleteFrame;
import dev.parley.protocol.frame.EditFrame;
import dev.parley.protocol.frame.ReactFrame;
import dev.parley.protocol.frame.ClientFrame;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageAckFrame;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.frame.PingFrame;
import dev.parley.protocol.frame.PongFrame;
import dev.parley.protocol.frame.PresenceAnswer;
import dev.parley.protocol.frame.PresenceQueryFrame;
import dev.parley.protocol.frame.ReadAckFrame;
import dev.parley.protocol.frame.ReadFrame;
import dev.parley.protocol.frame.SendFrame;
import dev.parley.protocol.frame.SyncFrame;
import dev.parley.protocol.frame.SyncedFrame;
import dev.parley.protocol.frame.TypingFrame;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns a session's client frames into engine calls and answers. Runs on the transport's thread
 * for what is in memory (membership, typing, ping, sending to the commit queue) and hands anything
 * that touches the store or the authenticator to the worker pool.
 */
final class FrameDispatcher implements FrameHandler {
  private static final int SYNC_PAGE = 500;
  private static final int MAX_PRESENCE_QUERY = 1000;
  private static final int MAX_SYNC_THREADS = 1000;

  private final FrameCodec codec;
  private final SessionTable registry;
  private final MessageService messages;
  private final ConversationService conversations;
  private final PresenceTracker presence;
  private final Authenticator authenticator;
  private final Executor worker;
  private final WireErrors wireErrors;
  private final java.util.function.BiPredicate<String, String> hidden;

  FrameDispatcher(FrameCodec codec, SessionTable registry, MessageService messages,
                  ConversationService conversations, PresenceTracker presence, Authenticator authenticator,
                  Executor worker, WireErrors wireErrors,
                  java.util.function.BiPredicate<String, String> hidden) {
    this.hidden = hidden;
    this.codec = codec;
    this.registry = registry;
    this.messages = messages;
    this.conversations = conversations;
    this.presence = presence;
    this.authenticator = authenticator;
    this.worker = worker;
    this.wireErrors = wireErrors;
  }

  @Override
  public FrameCodec codec() {
    return codec;
  }

  @Override
  public void onFrame(Session session, byte[] utf8) {
    ClientFrame frame;
    try {
      frame = codec.decode(utf8);
    } catch (ProtocolException e) {
      session.sendError(e.frameId(), e.code(), e.getMessage());
      return;
    }
    try {
      dispatch(session, frame);
    } catch (RuntimeException e) {
      fail(session, frame.id(), frame, e);
    }
  }

  @Override
  public void onClosed(Session session) {
    List<String> conversationIds = registry.conversationIdsOf(session.userId());
    if (registry.close(session)) {
      presence.lastDisconnected(session.userId(), conversationIds);
    }
  }

  private void dispatch(Session session, ClientFrame frame) {
    if (frame instanceof SendFrame f) {
      send(session, f);
    } else if (frame instanceof TypingFrame f) {
      asMember(session, f, f.thread(), () -> messages.typing(session.userId(), f.thread()));
    } else if (frame instanceof ReadFrame f) {
      read(session, f);
    } else if (frame instanceof SyncFrame f) {
      sync(session, f);
    } else if (frame instanceof PresenceQueryFrame f) {
      presenceQuery(session, f);
    } else if (frame instanceof PingFrame f) {
      session.send(new PongFrame(f.id()));
    } else if (frame instanceof AuthFrame f) {
      offload(session, f, () -> reauthenticate(session, f));
    } else if (frame instanceof ChangeFrame f) {
      change(session, f);
    } else {
      throw ChatException.badRequest("unsupported frame");
    }
  }

  private void send(Session session, SendFrame f) {
    messages.checkBody(f.body(), !f.attachments().isEmpty());
    if (f.attachments().isEmpty() && !messages.intercepts()) {
      asMember(session, f, f.thread(), () -> submit(session, f, List.of()));
    } else {
      offload(session, f, () -> {
        requireMember(session, f.thread());
        submit(session, f, messages.resolveAttachments(session.userId(), f.attachments()));
      });
    }
  }

  private void submit(Session session, SendFrame f, List<Attachment> attachments) {
    messages.send(session.userId(), f.thread(), f.body(), f.clientId(), attachments, f.replyTo(),
        new SendCallback() {
      @Override
      public void stored(AppendResult result) {
        Message m = result.message();
        session.send(new MessageAckFrame(f.id(), m.thread(), m.seq(), m.id(), m.ts()));
      }

      @Override
      public void failed(ChatException error) {
        fail(session, f.id(), f, error);
      }
    });
  }

  /**
   * An edit, deletion or reaction (contract 7.2): membership first (forbidden), then the rest of
   * the rules in the commit transaction; acked once its entry is durable.
   */
  private void change(Session session, ChangeFrame f) {
    Change change;
    String body = null;
    if (f instanceof EditFrame e) {
      change = Change.edited(e.target());
      body = e.body();
    } else if (f instanceof DeleteFrame) {
      change = Change.deleted(f.target());
    } else {
      ReactFrame r = (ReactFrame) f;
      change = Change.reaction(r.target(), r.emoji(), r.on());
    }
    String text = body;
    Runnable submit = () -> messages.change(session.userId(), f.thread(), change, text, f.clientId(),
        new SendCallback() {
          @Override
          public void stored(AppendResult result) {
            Message m = result.message();
            session.send(new ChangeAckFrame(f.id(), m.thread(), m.seq(), m.ts(), result.changed()));
          }

          @Override
          public void failed(ChatException error) {
            fail(session, f.id(), f, error);
          }
        });
    if (body != null && messages.intercepts()) {
      offload(session, f, () -> {
        requireMember(session, f.thread());
        submit.run();
      });
    } else {
      asMember(session, f, f.thread(), submit);
    }
  }

  private void read(Session session, ReadFrame f) {
    if (f.seq() < 0) {
      throw ChatException.badRequest("seq must not be negative");
    }
    offload(session, f, () -> {
      requireMember(session, f.thread());
      long stored = messages.markRead(session.userId(), f.thread(), f.seq(), session.id());
      if (f.id() != null) {
        session.send(new ReadAckFrame(f.id(), f.thread(), stored));
      }
    });
  }

  private void sync(Session session, SyncFrame f) {
    if (f.threads().size() > MAX_SYNC_THREADS) {
      throw ChatException.badRequest("at most " + MAX_SYNC_THREADS + " threads per sync");
    }
    for (Map.Entry<String, Long> e : f.threads().entrySet()) {
      if (e.getValue() < 0) {
        throw ChatException.badRequest("seq of thread " + e.getKey() + " must not be negative");
      }
    }
    offload(session, f, () -> {
      for (String conversationId : f.threads().keySet()) {
        requireMember(session, conversationId);
      }
      Map<String, Long> pending = new LinkedHashMap<>(f.threads());
      session.beginSync(pending.keySet());
      try {
        for (Map.Entry<String, Long> e : f.threads().entrySet()) {
          long last = replay(session, e.getKey(), e.getValue());
          pending.remove(e.getKey());
          session.endSync(e.getKey(), last);
        }
      } finally {
        for (Map.Entry<String, Long> e : pending.entrySet()) {
          session.endSync(e.getKey(), e.getValue());
        }
      }
      session.send(new SyncedFrame(f.id()));
    });
  }

  /** Sends a thread's messages above {@code fromSeq}; returns the last seq sent (or fromSeq). */
  private long replay(Session session, String conversationId, long fromSeq) {
    long last = fromSeq;
    while (session.isOpen()) {
      List<Message> page = messages.after(conversationId, last, SYNC_PAGE);
      for (Message m : page) {
        session.sendEncoded(codec.encode(new MessageFrame(m)));
        last = m.seq();
      }
      if (page.size() < SYNC_PAGE) {
        break;
      }
    }
    return last;
  }

  private void presenceQuery(Session session, PresenceQueryFrame f) {
    if (f.users().size() > MAX_PRESENCE_QUERY) {
      throw ChatException.badRequest("at most " + MAX_PRESENCE_QUERY + " users per presence query");
    }
    Map<String, String> answer = new LinkedHashMap<>();
    for (String userId : f.users()) {
      // a user who blocks the asker is offline to them (contract 7.4)
      boolean online = presence.isOnline(userId) && !hidden.test(userId, session.userId());
      answer.put(userId, online ? "online" : "offline");
    }
    session.send(new PresenceAnswer(f.id(), answer));
  }

  private void reauthenticate(Session session, AuthFrame f) {
    AuthenticatedUser user = authenticator.authenticate(f.token());
    if (!user.id().equals(session.userId())) {
      throw ChatException.unauthorized("token belongs to another user");
    }
    session.refreshed(user.expiresAtMillis(), user.sessionId());
    session.send(new AuthAckFrame(f.id(), user.expiresAtMillis()));
  }

  /** Runs the action here when the in-memory registry knows the membership, else checks the store first. */
  private void asMember(Session session, ClientFrame frame, String conversationId, Runnable action) {
    if (registry.knowsMember(session.userId(), conversationId)) {
      action.run();
      return;
    }
    offload(session, frame, () -> {
      conversations.requireMember(session.userId(), conversationId);
      action.run();
    });
  }

  private void requireMember(Session session, String conversationId) {
    if (!registry.knowsMember(session.userId(), conversationId)) {
      conversations.requireMember(session.userId(), conversationId);
    }
  }

  /** Runs blocking work on the worker pool; a ChatException it throws becomes an error frame. */
  private void offload(Session session, ClientFrame frame, Runnable work) {
    String frameId = frame.id();
    try {
      worker.execute(() -> {
        if (!session.isOpen()) {
          return;
        }
        try {
          work.run();
        } catch (RuntimeException e) {
          fail(session, frameId, frame, e);
        }
      });
    } catch (RejectedExecutionException e) {
      session.sendError(frameId, ErrorCode.UNAVAILABLE, "server is shutting down");
    }
  }

  /** The one way a failure becomes an error frame: our own words go out, anything else is hidden. */
  private void fail(Session session, String frameId, ClientFrame frame, RuntimeException e) {
    ChatException wire = wireErrors.toWire(e, "ws", frame.getClass().getSimpleName() + " of " + session);
    session.sendError(frameId, wire.code(), wire.getMessage());
  }
}
