package dev.parley.server.internal.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Text frames in the form they cross the wire from a server (RFC 6455 5.2: FIN, opcode 1, no
 * mask, then the payload), built once per payload rather than once per recipient. A message goes
 * to every member's connections with the same encoded array, one after the other on one thread;
 * the last array framed on each thread is remembered, so the second and later recipients reuse
 * its wire form. Written as plain bytes, such a frame passes Netty's WebSocket encoder untouched:
 * no frame object, header buffer or second buffer per recipient. (The server negotiates no
 * extension, so a frame is the same bytes on every connection.) Encoded arrays are never changed
 * once sent, so identity is a safe key.
 */
public final class WireFrames {
  private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);
  /** An empty ping (FIN, opcode 9, no mask, no payload), shared: connections write duplicates. */
  private static final ByteBuf PING =
      Unpooled.unreleasableBuffer(Unpooled.directBuffer(2, 2).writeByte(0x89).writeByte(0));

  private WireFrames() {
  }

  /** The last payload framed on a thread, and its frame. */
  private static final class Last {
    byte[] payload;
    byte[] frame;
  }

  /** The unmasked final text frame carrying {@code payload}, a UTF-8 JSON text. */
  public static byte[] text(byte[] payload) {
    Last last = LAST.get();
    if (last.payload != payload) {
      last.frame = frame(payload);
      last.payload = payload;
    }
    return last.frame;
  }

  /**
   * The heartbeat's empty ping in its wire form, to write as is: no frame object, header buffer
   * or promise per ping, and no copy (the bytes are already in direct memory). Releasing it is a
   * no-op, so the outbound buffer may release it as it releases anything it wrote.
   */
  static ByteBuf ping() {
    return PING.duplicate();
  }

  static byte[] frame(byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) 0x81; // FIN, text
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }
}
