package dev.parley.core.session;

import java.util.Collection;
import java.util.List;

/**
 * This node's table of open sessions and the conversations their users belong to: all that
 * sessions need of the engine's connection registry, which implements it. Every method answers
 * from memory and never blocks; {@link #open} and {@link #close} run the registry's conversation
 * callbacks outside its locks before they return.
 */
public interface SessionTable {

  /** Registers {@code session}, whose user belongs to {@code conversationIds}; true when it is the user's first here. */
  boolean open(Session session, Collection<String> conversationIds);

  /** The user's most recently opened session here, or null when the user has none. */
  Session latestSessionOf(String userId);

  /** Unregisters {@code session}; true when it was the user's last here. */
  boolean close(Session session);

  /** The conversations of a user connected here as the table knows them; empty when the user is not. */
  List<String> conversationIdsOf(String userId);

  /**
   * True when the table knows the connected user belongs to the conversation. False means "not
   * known here", not "not a member": the caller asks the store.
   */
  boolean knowsMember(String userId, String conversationId);
}
