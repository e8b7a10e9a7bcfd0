package dev.parley.core.broker;

import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;

/** What travels between nodes. Every event names the thread it belongs to (null for user-wide events). */
public sealed interface BrokerEvent {

  /** The thread whose subscribers receive the event, or null for events about a user. */
  String thread();

  /** A message that was committed to the store. */
  record MessageStored(Message message) implements BrokerEvent {
    @Override
    public String thread() {
      return message.thread();
    }
  }

  /** A member is typing; relayed to the other members' connections only. */
  record Typing(String thread, String user) implements BrokerEvent {
  }

  /**
   * A member's read position moved; relayed to every member's connections except the one that
   * sent it ({@code originConnection}, null when it came over REST).
   */
  record Read(String thread, String user, long seq, String originConnection) implements BrokerEvent {
  }

  /** A user joined a thread: their connections start receiving it and get a thread event. */
  record MemberAdded(String thread, String user, ChatThread snapshot) implements BrokerEvent {
  }

  /** A user left or was removed from a thread: their connections stop receiving it at once. */
  record MemberRemoved(String thread, String user) implements BrokerEvent {
  }

  /**
   * A user went online or offline; sent to the users who share one of {@code threads} with them.
   */
  record Presence(String user, boolean online, java.util.List<String> threads) implements BrokerEvent {
    @Override
    public String thread() {
      return null;
    }
  }

  /** A user was disabled or deleted: their connections are closed with 4403. */
  record UserDisabled(String user) implements BrokerEvent {
    @Override
    public String thread() {
      return null;
    }
  }

  /**
   * Login sessions of a user were revoked: every node refuses their tokens from now on and closes
   * their connections with 4401.
   */
  record SessionsRevoked(String user, java.util.List<String> sessions) implements BrokerEvent {
    @Override
    public String thread() {
      return null;
    }
  }

  /**
   * {@code blocker} started ({@code on}) or stopped blocking {@code blocked}: every node updates
   * its block list, which hides the blocker's typing and presence from the blocked user.
   */
  record BlockChanged(String blocker, String blocked, boolean on) implements BrokerEvent {
    @Override
    public String thread() {
      return null;
    }
  }

  /**
   * A thread changed (renamed, a role or its membership): its members' connections get a
   * {@code thread} event with the snapshot, marked {@code muted} for the users in {@code mutedBy},
   * except {@code skipUser} (null: none), who was told already (an added member).
   */
  record ThreadUpdated(String thread, ChatThread snapshot, java.util.List<String> mutedBy,
                       String skipUser) implements BrokerEvent {
  }
}
