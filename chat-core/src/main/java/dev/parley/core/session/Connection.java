package dev.parley.core.session;

/**
 * The transport side of one client connection, as the engine sees it: something that can take an
 * encoded frame and be closed. The engine never reads from it; the transport pushes decoded frames
 * into the connection's {@link Session}.
 *
 * <p>Implementations must be thread-safe and must never block: {@link #send} is called from the
 * commit thread, broker threads and worker threads. Frames handed to {@link #send} by one thread
 * must go out in that order; the encoded array is shared between recipients and must not be
 * modified.
 */
public interface Connection {

  /** Queues one encoded frame (UTF-8 JSON of a text frame) and flushes it soon. */
  void send(byte[] encodedFrame);

  /** Closes the connection with a WebSocket close code and a short reason. Idempotent. */
  void close(int code, String reason);

  /** A short description for logs (remote address), never containing secrets. */
  String describe();
}
