package dev.parley.core.store;

import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import java.util.List;

/**
 * An entry of a thread's log accepted for storing, before it has a seq: a message, or (with a
 * {@code change}) an edit, deletion or reaction of an earlier message. {@code id} is generated
 * by the caller (unguessable); {@code clientId} and {@code replyTo} may be null. For an edit
 * {@code body} is the new text; other changes have an empty body and no attachments.
 */
public record PendingMessage(String id, String thread, String sender, String body, long ts,
                             String clientId, List<Attachment> attachments, Long replyTo,
                             Change change) {
  public PendingMessage {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A message that replies to nothing. */
  public PendingMessage(String id, String thread, String sender, String body, long ts,
                        String clientId, List<Attachment> attachments) {
    this(id, thread, sender, body, ts, clientId, attachments, null, null);
  }
}
