package dev.parley.bench.jmh;

import dev.parley.core.session.Connection;

/** A connection that only counts what it is sent: the fan-out path without a socket. */
final class CountingConnection implements Connection {
  private long frames;
  private long bytes;

  @Override
  public void send(byte[] encodedFrame) {
    frames++;
    bytes += encodedFrame.length;
  }

  @Override
  public void close(int code, String reason) {
    // nothing to close
  }

  @Override
  public String describe() {
    return "counting";
  }

  long frames() {
    return frames;
  }

  long bytes() {
    return bytes;
  }

  void reset() {
    frames = 0;
    bytes = 0;
  }
}
