package dev.parley.core;

import dev.parley.protocol.ErrorCode;

/**
 * Told about every failure whose detail was kept from a client ({@link WireErrors}): a store that
 * could not be reached, a bug. For metrics; called on whatever thread met the failure (an event
 * loop, a worker, the commit thread), so it must be quick and must not block. Give one to
 * {@link ChatEngine.Builder#failureObserver}.
 */
public interface FailureObserver {
  /** Observes nothing. */
  FailureObserver NONE = (transport, code, ref, cause) -> { };

  /**
   * A client of {@code transport} ({@code "rest"} or {@code "ws"}) was answered {@code code}
   * ({@code unavailable} or {@code internal}) instead of {@code cause}'s text; {@code ref} is the
   * correlation id in both the client's message and the log line.
   */
  void hidden(String transport, ErrorCode code, String ref, Throwable cause);
}
