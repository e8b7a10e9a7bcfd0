package dev.parley.server.internal.ws;

import dev.parley.core.session.Session;
import dev.parley.protocol.CloseCodes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of an open WebSocket: it sends the heartbeat ping every {@code heartbeat},
 * closes with 4000 when nothing arrived for twice that, and with 4401 once the session's token
 * has expired past the grace. Each run schedules the next at the earliest of the three, so an
 * idle connection costs one scheduled task rather than three (it matters at 100,000
 * connections), and a token refreshed in band simply moves the next check.
 */
final class ConnectionTimer implements Runnable {
  private final ChannelHandlerContext ctx;
  private final NettyConnection connection;
  private final Session session;
  private final InboundActivity activity;
  private final long heartbeatNanos;
  private final long graceMillis;
  private long nextPingNanos;
  private ScheduledFuture<?> next;
  private boolean stopped;

  ConnectionTimer(ChannelHandlerContext ctx, NettyConnection connection, Session session,
                  InboundActivity activity, long heartbeatSeconds, long graceMillis) {
    this.ctx = ctx;
    this.connection = connection;
    this.session = session;
    this.activity = activity;
    this.heartbeatNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds);
    this.graceMillis = graceMillis;
  }

  /** Starts the schedule; call on the channel's event loop. */
  void start() {
    nextPingNanos = System.nanoTime() + heartbeatNanos;
    scheduleNext();
  }

  /** Cancels the schedule; call on the channel's event loop. */
  void stop() {
    stopped = true;
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  @Override
  public void run() {
    next = null;
    if (stopped || connection.isClosing()) {
      return;
    }
    long now = System.nanoTime();
    if (now - activity.lastReadNanos() >= 2 * heartbeatNanos) {
      connection.close(CloseCodes.HEARTBEAT_TIMEOUT, "no heartbeat");
      return;
    }
    if (System.currentTimeMillis() >= expiryDeadlineMillis()) {
      connection.close(CloseCodes.TOKEN_EXPIRED, "token expired");
      return;
    }
    if (now - nextPingNanos >= 0) {
      ctx.writeAndFlush(WireFrames.ping(), ctx.voidPromise());
      nextPingNanos = now + heartbeatNanos;
    }
    scheduleNext();
  }

  private long expiryDeadlineMillis() {
    return session.expiresAtMillis() + graceMillis;
  }

  private void scheduleNext() {
    long now = System.nanoTime();
    long untilSilence = activity.lastReadNanos() + 2 * heartbeatNanos - now;
    long untilPing = nextPingNanos - now;
    long untilExpiry = TimeUnit.MILLISECONDS.toNanos(
        Math.max(0, expiryDeadlineMillis() - System.currentTimeMillis()) + 1);
    long delay = Math.max(0, Math.min(untilSilence, Math.min(untilPing, untilExpiry)));
    next = ctx.executor().schedule(this, delay, TimeUnit.NANOSECONDS);
  }
}
