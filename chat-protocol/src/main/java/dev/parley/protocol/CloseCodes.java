package dev.parley.protocol;

/** WebSocket close codes the server uses, and what a client should do on each. */
public final class CloseCodes {
  /** Answer to the client's own close: stay closed. */
  public static final int NORMAL = 1000;
  /** Server shutting down or restarting: reconnect with backoff, then sync. */
  public static final int GOING_AWAY = 1001;
  /** A binary frame was sent: fix the client. */
  public static final int UNSUPPORTED_DATA = 1003;
  /** A frame over the frame limit: fix the client. */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** Nothing received for twice the heartbeat interval: reconnect, then sync. */
  public static final int HEARTBEAT_TIMEOUT = 4000;
  /** Slow consumer, outbound backlog over its limit: reconnect, then sync. */
  public static final int SLOW_CONSUMER = 4008;
  /** Access token expired and not refreshed: get a new token, reconnect, sync. */
  public static final int TOKEN_EXPIRED = 4401;
  /** The user was deleted or disabled: stay closed. */
  public static final int USER_DISABLED = 4403;

  private CloseCodes() {
  }
}
