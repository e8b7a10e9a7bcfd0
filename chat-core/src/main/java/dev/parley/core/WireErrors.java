package dev.parley.core;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.StoreUnavailableException;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes what a client is told. A {@link ChatException} carries
 * words we wrote for users (a bad_request reason, a 404) and goes out as it is. Anything else (a
 * {@link StoreUnavailableException} with the driver's text, a bug's exception, or a ChatException
 * that merely wraps a store failure) goes out as {@code unavailable} or {@code internal} with a
 * generic message and a correlation id; the detail is logged once, here, with the same id, and
 * counted by the {@link FailureObserver}. Both transports (REST and WebSocket) call it at their
 * edge, and nothing else turns exceptions into wire errors.
 */
public final class WireErrors {
  private static final Logger log = LoggerFactory.getLogger(WireErrors.class);

  /** Logs, counts nothing: for tests and embedders that build pieces by hand. */
  public static final WireErrors LOG_ONLY = new WireErrors(FailureObserver.NONE);

  private final FailureObserver observer;

  public WireErrors(FailureObserver observer) {
    this.observer = observer == null ? FailureObserver.NONE : observer;
  }

  /**
   * What a client of {@code transport} ({@code "rest"} or {@code "ws"}) is told about
   * {@code failure}, as a ChatException safe to write out. {@code context} names the request for
   * the log (e.g. {@code "POST /api/threads/{id}/messages"}); it never reaches the client.
   */
  public ChatException toWire(Throwable failure, String transport, String context) {
    StoreUnavailableException store = storeCause(failure);
    if (failure instanceof ChatException ce && store == null) {
      return ce;
    }
    String ref = Ids.newId().substring(0, 12);
    ErrorCode code;
    String message;
    if (store != null) {
      code = ErrorCode.UNAVAILABLE;
      // a message we wrote for this case (e.g. "message store unavailable, not stored") is kept
      message = (failure instanceof ChatException ce ? ce.getMessage() : "service temporarily unavailable")
          + " (ref " + ref + ")";
      log.warn("{} failed [ref {}, {}]: {}", context, ref, transport, store.getMessage(), store.getCause());
    } else {
      code = ErrorCode.INTERNAL;
      message = "internal error (ref " + ref + ")";
      log.error("{} failed [ref {}, {}]", context, ref, transport, failure);
    }
    try {
      observer.hidden(transport, code, ref, failure);
    } catch (RuntimeException e) {
      log.warn("failure observer failed: {}", e.toString());
    }
    return new ChatException(code, message);
  }

  private static StoreUnavailableException storeCause(Throwable t) {
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof StoreUnavailableException s) {
        return s;
      }
    }
    return null;
  }
}
