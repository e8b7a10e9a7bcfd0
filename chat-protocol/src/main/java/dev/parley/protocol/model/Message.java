package dev.parley.protocol.model;

import java.util.List;

/**
 * A stored message: {@code {"id","thread","seq","sender","body","ts","clientId"?,"attachments":[…]}}.
 * {@code clientId} is null when the sender gave none; {@code attachments} is never null.
 */
public record Message(String id, String thread, long seq, String sender, String body, long ts,
                      String clientId, List<Attachment> attachments) {
  public Message {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }
}
