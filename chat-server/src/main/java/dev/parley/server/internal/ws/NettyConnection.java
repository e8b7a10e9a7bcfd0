package dev.parley.server.internal.ws;

import dev.parley.core.session.Connection;
import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import dev.parley.protocol.CloseCodes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine's view of one WebSocket channel. Frames are written on the channel's event loop
 * (sends from other threads hop there, in order) and flushed once per burst: the first write
 * after a flush schedules one flush task, and every write before it runs rides along. The frame
 * is framed once for all recipients ({@link WireFrames}); a loop's outbox copies it once into a
 * direct buffer that its connections write duplicates of ({@link LoopOutbox#run}).
 *
 * <p>It is its own flush task ({@link #run}), with a plain int as the flag, to keep an idle
 * connection small (no lambda, no AtomicBoolean per connection).
 */
final class NettyConnection implements Connection, Runnable {
  private static final VarHandle FLUSH_SCHEDULED;

  static {
    try {
      FLUSH_SCHEDULED = MethodHandles.lookup()
          .findVarHandle(NettyConnection.class, "flushScheduled", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A backlog this many times the outbound limit closes the connection at once. */
  private static final int HARD_LIMIT_FACTOR = 16;
  private final Channel channel;
  private final ServerMetrics metrics;
  private final LoopOutbox outbox;
  /** 1 while a flush task is queued on the loop; through {@link #FLUSH_SCHEDULED}. */
  @SuppressWarnings("unused")
  private volatile int flushScheduled;
  /** Loop-confined: written by the outbox's current drain, not flushed yet. */
  private boolean drainWrote;
  private volatile boolean closing;

  NettyConnection(Channel channel, ServerMetrics metrics) {
    this.channel = channel;
    this.metrics = metrics;
    this.outbox = LoopOutbox.of(channel.eventLoop());
  }

  /** The flush task: runs on the loop after the writes of a burst. */
  @Override
  public void run() {
    flushScheduled = 0;
    channel.flush();
  }

  @Override
  public void send(byte[] encodedFrame) {
    if (closing) {
      return;
    }
    metrics.frameSent();
    byte[] frame = WireFrames.text(encodedFrame); // once for all recipients, on the caller's thread
    if (channel.eventLoop().inEventLoop()) {
      if (write(frame) && FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
        channel.eventLoop().execute(this);
      }
    } else {
      outbox.add(channel.eventLoop(), this, frame);
    }
  }

  /**
   * For the outbox's drain: writes without flushing; true when this is the connection's first
   * write of the drain, which then calls {@link #flushWritten} once at its end.
   */
  boolean writeUnflushed(ByteBuf frame) {
    if (!write(frame) || drainWrote) {
      return false;
    }
    drainWrote = true;
    return true;
  }

  /** The end of the outbox's drain. */
  void flushWritten() {
    drainWrote = false;
    channel.flush();
  }

  /** The allocator of the channel's buffers. */
  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  private boolean write(byte[] frame) {
    return write(Unpooled.wrappedBuffer(frame));
  }

  /**
   * Writes a frame in its wire form ({@link WireFrames}); the WebSocket encoder lets bytes pass.
   * The buffer is the channel's from here on, written or not. False when nothing was written
   * (closing, or closed now for a backlog far past the limit).
   */
  private boolean write(ByteBuf frame) {
    if (closing) {
      frame.release();
      return false;
    }
    ChannelOutboundBuffer backlog = channel.unsafe().outboundBuffer();
    if (backlog != null
        && backlog.totalPendingWriteBytes() > HARD_LIMIT_FACTOR * channel.config().getWriteBufferHighWaterMark()) {
      // far past the limit: do not wait for the grace of the slow-consumer check
      frame.release();
      closeNow(CloseCodes.SLOW_CONSUMER, "slow consumer");
      return false;
    }
    channel.write(frame, channel.voidPromise());
    return true;
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Slow consumer: says 4008 if the socket takes it and drops the connection without waiting for
   * the backlog to drain.
   */
  void closeNow(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    channel.close();
  }

  /** Writes the heartbeat's empty ping; call on the channel's event loop. */
  void ping() {
    channel.writeAndFlush(WireFrames.ping(), channel.voidPromise());
  }

  /** Completes once the connection is closed, whoever closed it. */
  ChannelFuture closeFuture() {
    return channel.closeFuture();
  }

  boolean isClosing() {
    return closing;
  }

  @Override
  public String describe() {
    return dev.parley.server.internal.http.TrustedProxies.describe(channel);
  }
}
