package dev.parley.protocol.frame;

import java.util.List;
import java.util.Objects;

/**
 * {@code {"type":"send","id"?,"thread","body","clientId"?,"attachments"?}}: post a message.
 *
 * @param clientId the sender's dedupe key, or null
 * @param attachments attachment ids, never null (empty when absent)
 */
public record SendFrame(String id, String thread, String body, String clientId, List<String> attachments)
    implements ClientFrame {
  public SendFrame {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(body, "body");
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.SEND;
  }
}
