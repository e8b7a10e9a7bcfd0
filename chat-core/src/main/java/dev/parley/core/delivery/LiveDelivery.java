package dev.parley.core.delivery;

import dev.parley.core.broker.BrokerEvent;
import dev.parley.core.broker.BrokerListener;
import dev.parley.core.registry.ConnectionRegistry;
import dev.parley.core.registry.LocalUser;
import dev.parley.core.registry.Room;
import dev.parley.core.session.Session;
import dev.parley.protocol.CloseCodes;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.frame.PresenceEvent;
import dev.parley.protocol.frame.ReadEvent;
import dev.parley.protocol.frame.RemovedEvent;
import dev.parley.protocol.frame.ThreadEvent;
import dev.parley.protocol.frame.TypingEvent;
import java.util.HashSet;
import java.util.Set;

/**
 * Delivers what the broker brings to this node's sessions: each event is encoded once and the
 * same bytes are handed to every recipient connection.
 */
public final class LiveDelivery implements BrokerListener {
  private final ConnectionRegistry registry;
  private final FrameCodec codec;

  public LiveDelivery(ConnectionRegistry registry, FrameCodec codec) {
    this.registry = registry;
    this.codec = codec;
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
    }
  }

  private void deliverMessage(BrokerEvent.MessageStored event) {
    Room room = registry.room(event.thread());
    if (room == null) {
      return;
    }
    byte[] encoded = codec.encode(new MessageFrame(event.message()));
    long seq = event.message().seq();
    for (LocalUser user : room.users()) {
      for (Session session : user.sessions()) {
        session.deliverMessage(event.thread(), seq, encoded);
      }
    }
  }

  private void deliverTyping(BrokerEvent.Typing event) {
    Room room = registry.room(event.thread());
    if (room == null) {
      return;
    }
    byte[] encoded = null;
    for (LocalUser user : room.users()) {
      if (user.userId().equals(event.user())) {
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
    Room room = registry.room(event.thread());
    if (room == null) {
      return;
    }
    byte[] encoded = codec.encode(new ReadEvent(event.thread(), event.user(), event.seq()));
    for (LocalUser user : room.users()) {
      for (Session session : user.sessions()) {
        if (!session.id().equals(event.originConnection())) {
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

  private void deliverPresence(BrokerEvent.Presence event) {
    // the users who share a thread with the subject and are connected here, the subject excluded
    Set<LocalUser> recipients = new HashSet<>();
    for (String threadId : event.threads()) {
      Room room = registry.room(threadId);
      if (room == null) {
        continue;
      }
      for (LocalUser user : room.users()) {
        if (!user.userId().equals(event.user())) {
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
