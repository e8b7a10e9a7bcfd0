package dev.parley.core.store;

/**
 * The store could not do what was asked: the database is unreachable, locked past its busy
 * timeout, out of connections, or failed in a way the store cannot name more precisely. Not a
 * {@link dev.parley.protocol.ChatException}: its message carries the driver's own text (SQL,
 * file paths, URLs) for the operator's log, and never reaches a client. The transports map it
 * once, at their edge, to the contract's {@code unavailable} with a generic message (see
 * {@link dev.parley.core.WireErrors}).
 */
public class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
