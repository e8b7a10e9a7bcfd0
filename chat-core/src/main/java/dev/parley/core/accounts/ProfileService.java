package dev.parley.core.accounts;

import dev.parley.core.conversations.ConversationService;
import dev.parley.core.internal.util.Ids;
import dev.parley.core.presence.PresenceTracker;
import dev.parley.core.store.AvatarImage;
import dev.parley.core.store.ChatStore;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.User;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiPredicate;

/**
 * What others see of a user: the display name, the picture, and whether and when they were last
 * online. Pictures arrive already encoded again by the caller (the server decodes uploads; this
 * engine never looks inside image bytes). A new name or picture is announced to everyone who
 * shares a thread with the user, as a {@code thread} event per thread (the members in it are
 * fresh), so clients show it without reloading. A block either way hides presence and "last
 * seen", as it hides presence events. Every method asks the store: call them off event loops.
 */
public final class ProfileService {
  /** The largest picture kept, encoded: far more than 256 x 256 pixels take. */
  public static final int MAX_AVATAR_BYTES = 512 * 1024;

  private final ChatStore store;
  private final PresenceTracker presence;
  private final BiPredicate<String, String> blocks;
  private final ConversationService conversations;
  private final Clock clock;

  /**
   * @param blocks true while its first user blocks its second
   * @param conversations announces changes to the user's threads
   */
  public ProfileService(ChatStore store, PresenceTracker presence, BiPredicate<String, String> blocks,
                        ConversationService conversations, Clock clock) {
    this.store = store;
    this.presence = presence;
    this.blocks = blocks;
    this.conversations = conversations;
    this.clock = clock;
  }

  /**
   * A user as {@code viewerId} sees them.
   *
   * @param online connected now; false while a block stands between the two
   * @param lastSeen when last connected (epoch ms), null if never or while a block stands
   */
  public record Profile(User user, boolean online, Long lastSeen) {
  }

  /** The user {@code userId} as {@code viewerId} sees them; {@code not_found} if unknown. */
  public Profile profile(String viewerId, String userId) {
    User user = store.findUser(userId).orElseThrow(() -> ChatException.notFound("no such user"));
    if (!viewerId.equals(userId) && (blocks.test(viewerId, userId) || blocks.test(userId, viewerId))) {
      return new Profile(user, false, null);
    }
    OptionalLong seen = store.lastSeen(userId);
    return new Profile(user, presence.isConnected(userId), seen.isPresent() ? seen.getAsLong() : null);
  }

  /**
   * Changes the user's display name: stripped, 1 to 64 characters, no control or format
   * characters (they could reorder or hide text in other people's clients). 400 otherwise.
   */
  public User changeDisplayName(String userId, String displayName) {
    String name = AccountService.validDisplayName(displayName);
    if (!store.updateDisplayName(userId, name)) {
      throw ChatException.notFound("no such user");
    }
    return announced(userId);
  }

  /**
   * Makes {@code image} (already encoded by the server, {@code image/jpeg} or {@code image/png})
   * the user's picture under a new version; returns the user with its new {@link User#avatar}.
   */
  public User setAvatar(String userId, String contentType, byte[] image) {
    Objects.requireNonNull(image, "image");
    if (!contentType.equals("image/jpeg") && !contentType.equals("image/png")) {
      throw new IllegalArgumentException("a picture is stored as JPEG or PNG, not " + contentType);
    }
    if (image.length == 0 || image.length > MAX_AVATAR_BYTES) {
      throw ChatException.badRequest("the picture must be between 1 and " + MAX_AVATAR_BYTES + " bytes once encoded");
    }
    if (!store.setAvatar(userId, new AvatarImage(Ids.newId(), contentType, image), clock.millis())) {
      throw ChatException.notFound("no such user");
    }
    return announced(userId);
  }

  /** Removes the user's picture; returns the user without one. */
  public User removeAvatar(String userId) {
    if (!store.removeAvatar(userId)) {
      throw ChatException.notFound("no such user");
    }
    return announced(userId);
  }

  /** The picture of this version, empty once it was replaced or removed. */
  public Optional<AvatarImage> avatar(String userId, String version) {
    return store.findAvatar(userId, version);
  }

  /** The user as now stored, after telling the members of their threads. */
  private User announced(String userId) {
    User user = store.findUser(userId).orElseThrow(() -> ChatException.notFound("no such user"));
    conversations.announceMembersChanged(userId);
    return user;
  }
}
