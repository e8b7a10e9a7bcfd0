package dev.parley.core.presence;

import java.util.Collection;

/**
 * The users connected to this node, as a {@link PresenceDirectory} sees them: all a directory
 * needs of the engine's connection registry. Both methods answer from memory and never block.
 */
public interface LocalUsers {

  /** True while the user has at least one connection open on this node. */
  boolean isOnline(String userId);

  /** The ids of the users connected to this node now (a live, weakly consistent view). */
  Collection<String> userIds();
}
