package dev.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client by hand over a plain {@link Socket} with a receive buffer set before it
 * connects (so the TCP window stays small), for a client that does not read its frames. After
 * {@link #connect} the upgrade is done and nothing more has been read.
 */
public final class StuckWebSocket implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private StuckWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** The outcome of reading until the server went away. */
  public record Drained(long bytes, boolean reset, Integer closeCode) {
  }

  /**
   * Connects to {@code /ws} with the token in the Authorization header, with the socket's receive
   * buffer set to {@code receiveBuffer} bytes before connecting (so the TCP window stays small).
   * Throws when the server does not answer 101.
   */
  public static StuckWebSocket connect(String host, int port, String accessToken, int receiveBuffer)
      throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(10_000);
    StuckWebSocket ws = new StuckWebSocket(s);
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String request = "GET /ws HTTP/1.1\r\n"
        + "Host: " + host + ":" + port + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Authorization: Bearer " + accessToken + "\r\n"
        + "\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String head = ws.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      s.close();
      throw new IOException("upgrade refused: " + head);
    }
    return ws;
  }

  /** The response head, read byte by byte so that no frame byte is consumed. */
  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the upgrade: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame. */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /**
   * Reads (and parses) frames until the server closes the TCP connection or resets it, or until
   * {@code timeoutMillis} pass without a byte. Returns what it saw; throws
   * {@link SocketTimeoutException} on the timeout.
   */
  public Drained drain(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    FrameReader reader = new FrameReader();
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return new Drained(total, false, reader.closeCode);
        }
        total += n;
        reader.feed(buf, n);
      }
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      return new Drained(total, true, reader.closeCode);
    }
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Follows frame boundaries across reads, to spot a close frame and its code. */
  private static final class FrameReader {
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private long payloadLeft = -1;
    private boolean closeFrame;
    private final ByteArrayOutputStream closePayload = new ByteArrayOutputStream();
    Integer closeCode;

    void feed(byte[] buf, int n) {
      int i = 0;
      while (i < n) {
        if (payloadLeft < 0) {
          header.write(buf[i++]);
          long len = payloadLength(header.toByteArray());
          if (len >= 0) {
            byte[] h = header.toByteArray();
            closeFrame = (h[0] & 0x0f) == 0x8;
            payloadLeft = len;
            header.reset();
            closePayload.reset();
            finishIfEmpty();
          }
        } else {
          int take = (int) Math.min(payloadLeft, n - i);
          if (closeFrame) {
            closePayload.write(buf, i, take);
          }
          i += take;
          payloadLeft -= take;
          finishIfEmpty();
        }
      }
    }

    private void finishIfEmpty() {
      if (payloadLeft == 0) {
        if (closeFrame) {
          byte[] p = closePayload.toByteArray();
          closeCode = p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
        }
        payloadLeft = -1;
      }
    }

    /** The payload length once the (unmasked, server) header is complete, else -1. */
    private static long payloadLength(byte[] h) {
      if (h.length < 2) {
        return -1;
      }
      int len7 = h[1] & 0x7f;
      if (len7 < 126) {
        return len7;
      }
      int extra = len7 == 126 ? 2 : 8;
      if (h.length < 2 + extra) {
        return -1;
      }
      long len = 0;
      for (int k = 0; k < extra; k++) {
        len = (len << 8) | (h[2 + k] & 0xff);
      }
      return len;
    }
  }
}
