package dev.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client over a plain {@link Socket}, for what the JDK client will not do: it never
 * answers pings by itself, can send any opcode and fragment, and shows the HTTP answer of a
 * refused upgrade (status, headers, body). Not thread-safe: one test thread drives it.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** One frame as read from the server (servers do not mask). */
  public record Frame(int opcode, boolean fin, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** The HTTP answer to an upgrade request. */
  public record HttpAnswer(int status, Map<String, String> headers, String body) {
    /** A header by lower-case name, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** The outcome of an upgrade attempt: the HTTP answer and, on 101, the open socket. */
  public record Upgrade(HttpAnswer answer, RawWebSocket socket) {
  }

  private RawWebSocket(Socket socket, DataInputStream in) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
  }

  /** Upgrades with {@code Authorization: Bearer token}; fails unless the server answers 101. */
  public static RawWebSocket connect(int port, String accessToken) {
    Upgrade u = upgrade(port, "/ws", Map.of("Authorization", "Bearer " + accessToken));
    if (u.socket() == null) {
      throw new IllegalStateException("upgrade refused: " + u.answer());
    }
    return u.socket();
  }

  /**
   * Sends a WebSocket upgrade request for {@code pathAndQuery} with the extra headers and reads
   * the answer. On 101 the returned socket is open; otherwise it is closed and null.
   */
  public static Upgrade upgrade(int port, String pathAndQuery, Map<String, String> extraHeaders) {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      byte[] nonce = new byte[16];
      RANDOM.nextBytes(nonce);
      StringBuilder req = new StringBuilder()
          .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Upgrade: websocket\r\n")
          .append("Connection: Upgrade\r\n")
          .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
          .append("Sec-WebSocket-Version: 13\r\n");
      for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
        req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      req.append("\r\n");
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      DataInputStream din = new DataInputStream(s.getInputStream());
      HttpAnswer answer = readAnswer(din);
      if (answer.status() == 101) {
        return new Upgrade(answer, new RawWebSocket(s, din));
      }
      s.close();
      return new Upgrade(answer, null);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to add
      }
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code rawRequest} exactly as given (request line, headers, blank line, body) on a new
   * connection and reads the HTTP answer; the connection is closed afterwards.
   */
  public static HttpAnswer request(int port, String rawRequest) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(rawRequest.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      return readAnswer(new DataInputStream(s.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpAnswer readAnswer(DataInputStream din) throws IOException {
    String statusLine = readLine(din);
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(din); !line.isEmpty(); line = readLine(din)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    String body = "";
    String length = headers.get("content-length");
    if (status != 101 && length != null) {
      byte[] b = new byte[Integer.parseInt(length)];
      din.readFully(b);
      body = new String(b, StandardCharsets.UTF_8);
    }
    return new HttpAnswer(status, headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed inside the HTTP answer");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one complete text frame. */
  public void sendText(String text) {
    sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame with any opcode and FIN bit. */
  public void sendFrame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    int len = payload.length;
    if (len < 126) {
      f.write(0x80 | len);
    } else if (len <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(len >>> 8);
      f.write(len & 0xFF);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) len >>> shift) & 0xFF);
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask, 0, 4);
    for (int i = 0; i < len; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    try {
      out.write(f.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the next frame, waiting at most {@code timeout}; null if none came in time. Throws
   * {@link EOFException} (unchecked) when the server closed the TCP connection.
   */
  public Frame readFrame(Duration timeout) {
    try {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      int b0;
      try {
        b0 = in.read();
      } catch (SocketTimeoutException e) {
        return null;
      }
      if (b0 < 0) {
        throw new UncheckedIOException(new EOFException("connection closed by the server"));
      }
      socket.setSoTimeout(10_000);
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7F;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] mask = null;
      if ((b1 & 0x80) != 0) {
        mask = new byte[4];
        in.readFully(mask);
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      if (mask != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
      }
      return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads frames (answering nothing, pings included) until the next one of {@code opcode}. */
  public Frame awaitFrame(int opcode, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no frame with opcode " + opcode + " within " + timeout);
      }
      Frame f = readFrame(Duration.ofNanos(left));
      if (f != null && f.opcode() == opcode) {
        return f;
      }
    }
  }

  /** Reads frames, answering nothing, until the server's close frame; returns its code. */
  public int awaitClose(Duration timeout) {
    return awaitFrame(CLOSE, timeout).closeCode();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
