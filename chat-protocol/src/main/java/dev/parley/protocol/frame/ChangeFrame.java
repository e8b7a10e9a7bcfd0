package dev.parley.protocol.frame;

/**
 * A client frame that changes an earlier message of a thread (contract 7.2): {@link EditFrame},
 * {@link DeleteFrame} or {@link ReactFrame}. Each is answered with a {@link ChangeAckFrame} once
 * its log entry is durable.
 */
public sealed interface ChangeFrame extends ClientFrame permits EditFrame, DeleteFrame, ReactFrame {

  /** The thread of the target message. */
  String thread();

  /** The seq of the message changed. */
  long target();

  /** The sender's dedupe key (shared namespace with sends), or null. */
  String clientId();
}
