package dev.parley.core;

/**
 * Sees every message and every edit before it is stored (WebSocket, REST and host alike) and may reject it
 * or rewrite its body: moderation, length rules, link rewriting. Runs on a worker thread, so it may
 * block briefly (a lookup), but every send waits for it.
 */
@FunctionalInterface
public interface MessageInterceptor {

  /**
   * Returns the body to store (the given one, or a rewritten one that still obeys the body
   * limit). Throw a {@link dev.parley.protocol.ChatException} to refuse the message: the sender
   * gets that error (e.g. {@code forbidden} or {@code bad_request}) and nothing is stored.
   */
  String intercept(String senderId, String conversationId, String body);

  /**
   * Sees an edit before it is stored and may refuse it or rewrite its new body, like a send. By
   * default it runs {@link #intercept} on the new body. The rewritten body may be empty only when
   * the message has attachments.
   */
  default String interceptEdit(String senderId, String conversationId, long target, String body) {
    return intercept(senderId, conversationId, body);
  }
}
