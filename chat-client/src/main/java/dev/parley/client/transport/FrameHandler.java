package dev.parley.client.transport;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link WsTransport} connection hands to its user. Both methods run on the connection's
 * event loop: never block in them.
 */
public interface FrameHandler {
  /**
   * One text frame after {@code hello}, as UTF-8. The buffer is released when this returns: copy
   * what you keep.
   */
  void onFrame(WsConnection connection, ByteBuf utf8);

  /**
   * The connection ended without {@link WsConnection#close()}: the server closed it (with
   * {@code closeCode}) or it dropped ({@code closeCode} -1).
   */
  default void onClose(WsConnection connection, int closeCode) {
  }
}
