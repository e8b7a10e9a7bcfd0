package dev.parley.client.internal;

import dev.parley.client.SendAck;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered outbox: sends leave one at a time, oldest first. The head stays until it is
 * answered, so after a reconnect it is sent again with the same {@code clientId} (the server
 * then acks the first copy instead of storing a second) and nothing behind it overtakes it.
 * Confined to the client's event loop.
 */
public final class Outbox {
  /** One message waiting for its ack. */
  public record Pending(String thread, String body, String clientId, List<String> attachments,
                        Long replyTo, CompletableFuture<SendAck> result) {
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean headSent;

  public void add(Pending p) {
    queue.addLast(p);
  }

  /** The head, if one may be sent now (none is on the wire); marks it sent. */
  public Pending nextToSend() {
    if (headSent || queue.isEmpty()) {
      return null;
    }
    headSent = true;
    return queue.peekFirst();
  }

  /** The head on the wire, if it carries {@code clientId}; null otherwise. */
  public Pending inFlight(String clientId) {
    Pending head = queue.peekFirst();
    return headSent && head != null && head.clientId().equals(clientId) ? head : null;
  }

  /** The head was answered: removes it. */
  public Pending complete() {
    headSent = false;
    return queue.pollFirst();
  }

  /** The head must go again (reconnect, or a retryable error): it is no longer on the wire. */
  public void resend() {
    headSent = false;
  }

  public int size() {
    return queue.size();
  }

  /** Fails every waiting send (the client was closed). */
  public void failAll(Throwable cause) {
    Pending p;
    while ((p = queue.pollFirst()) != null) {
      p.result().completeExceptionally(cause);
    }
    headSent = false;
  }
}
