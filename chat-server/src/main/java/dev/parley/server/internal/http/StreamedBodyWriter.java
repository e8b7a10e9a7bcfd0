package dev.parley.server.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link StreamedBody} after its response head: reads a piece on the worker (never on the
 * event loop), writes it on the event loop, and reads the next one only while the channel is
 * writable, else once the piece has left. So at most the channel's high water mark plus one piece
 * is in memory, whatever the body's size. A source that fails or ends early closes the connection
 * (the head promised a length). One instance per body.
 */
final class StreamedBodyWriter {
  private static final Logger log = LoggerFactory.getLogger(StreamedBodyWriter.class);
  /** Bytes read and written at a time. */
  static final int PIECE = 64 * 1024;

  private final Channel channel;
  private final StreamedBody body;
  private final ChannelPromise done;
  private InputStream in;
  private long remaining;

  private StreamedBodyWriter(Channel channel, StreamedBody body) {
    this.channel = channel;
    this.body = body;
    this.done = channel.newPromise();
    this.remaining = body.length();
  }

  /** Starts sending; the future is done when the body's last piece is written, or it failed. */
  static ChannelFuture start(Channel channel, StreamedBody body) {
    StreamedBodyWriter w = new StreamedBodyWriter(channel, body);
    if (w.remaining == 0) {
      return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    w.readNext();
    return w.done;
  }

  /** Schedules the next read on the worker. */
  private void readNext() {
    try {
      body.worker().execute(this::read);
    } catch (RejectedExecutionException e) {
      fail(new IOException("shutting down"));
    }
  }

  /** Worker: reads one piece and hands it to the event loop. */
  private void read() {
    ByteBuf piece = null;
    try {
      if (in == null) {
        in = body.source().open(body.offset());
      }
      int want = (int) Math.min(PIECE, remaining);
      piece = channel.alloc().ioBuffer(want);
      while (piece.readableBytes() < want) {
        if (piece.writeBytes(in, want - piece.readableBytes()) < 0) {
          throw new IOException("the stored bytes end " + remaining + " bytes early");
        }
      }
      remaining -= want;
      boolean last = remaining == 0;
      if (last) {
        closeSource();
      }
      ByteBuf ready = piece;
      piece = null;
      channel.eventLoop().execute(() -> write(ready, last));
    } catch (IOException | RuntimeException e) {
      if (piece != null) {
        piece.release();
      }
      fail(e);
    }
  }

  /** Event loop: writes a piece, then asks for the next when there is room. */
  private void write(ByteBuf piece, boolean last) {
    if (!channel.isActive()) {
      piece.release();
      fail(new IOException("the client went away"));
      return;
    }
    ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(piece));
    if (last) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        if (f.isSuccess()) {
          done.trySuccess();
        } else {
          done.tryFailure(f.cause());
        }
      });
    } else if (channel.isWritable()) {
      readNext();
    } else {
      written.addListener(f -> {
        if (f.isSuccess()) {
          readNext();
        } else {
          fail(f.cause());
        }
      });
    }
  }

  private void fail(Throwable cause) {
    log.debug("streaming a download to {} failed: {}", channel.remoteAddress(), cause.toString());
    closeSourceOffLoop();
    done.tryFailure(cause);
    channel.close();
  }

  private void closeSourceOffLoop() {
    if (in == null) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      try {
        body.worker().execute(this::closeSource);
      } catch (RejectedExecutionException e) {
        closeSource();
      }
    } else {
      closeSource();
    }
  }

  private void closeSource() {
    InputStream s = in;
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing more to read from it
    }
  }
}
