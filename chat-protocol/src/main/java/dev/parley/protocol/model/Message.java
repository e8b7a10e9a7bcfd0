package dev.parley.protocol.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An entry of a thread's log (contract 7.2). Most entries are messages:
 * {@code {"id","thread","seq","sender","body","ts","clientId"?,"attachments":[…],"replyTo"?,
 * "editedAt"?,"deleted"?,"reactions"?}}; {@code clientId} is null when the sender gave none and
 * {@code attachments} is never null. A message's {@code editedAt}, {@code deleted} and
 * {@code reactions} describe its current state, as history and sync show it.
 *
 * <p>An entry with a {@link #change()} is a change to an earlier message of the thread, sharing
 * the thread's seq: {@code sender} is the user who made it and, for an edit, {@code body} is the
 * new text (empty once the target was deleted: then {@code deleted} is true too).
 *
 * @param replyTo the seq of the message this one replies to, or null
 * @param editedAt when the message was last edited (epoch ms), or null
 * @param reactions emoji to the ids of the users who reacted with it, never null
 * @param change null for a message; what the entry changes otherwise
 */
public record Message(String id, String thread, long seq, String sender, String body, long ts,
                      String clientId, List<Attachment> attachments, Long replyTo, Long editedAt,
                      boolean deleted, Map<String, List<String>> reactions, Change change) {
  public Message {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    reactions = reactions == null || reactions.isEmpty() ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reactions));
  }

  /** A plain message: no reply, never edited, not deleted, no reactions. */
  public Message(String id, String thread, long seq, String sender, String body, long ts,
                 String clientId, List<Attachment> attachments) {
    this(id, thread, seq, sender, body, ts, clientId, attachments, null, null, false, Map.of(), null);
  }

  /** True for a message, false for a change entry. */
  public boolean isMessage() {
    return change == null;
  }

  /** This entry with the given current-state reactions. */
  public Message withReactions(Map<String, List<String>> reactions) {
    return new Message(id, thread, seq, sender, body, ts, clientId, attachments, replyTo, editedAt,
        deleted, reactions, change);
  }
}
