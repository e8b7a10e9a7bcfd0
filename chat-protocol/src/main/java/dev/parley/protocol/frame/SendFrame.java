package dev.parley.protocol.frame;

import java.util.List;
import java.util.Objects;

/**
 * {@code {"type":"send","id"?,"thread","body","clientId"?,"attachments"?,"replyTo"?}}: post a message.
 *
 * @param clientId the sender's dedupe key, or null
 * @param attachments attachment ids, never null (empty when absent)
 * @param replyTo the seq of the message replied to, or null
 */
public record SendFrame(String id, String thread, String body, String clientId, List<String> attachments,
                        Long replyTo)
    implements ClientFrame {
  public SendFrame {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(body, "body");
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A send that replies to nothing. */
  public SendFrame(String id, String thread, String body, String clientId, List<String> attachments) {
    this(id, thread, body, clientId, attachments, null);
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.SEND;
  }
}
