package dev.parley.server.internal.ws;

import dev.parley.core.session.Session;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The open WebSockets of a server, per event loop: their timers, and their close at shutdown.
 * The timers are the heartbeat ping every {@code heartbeat}, the close with 4000 after twice that
 * without a frame, and the close with 4401 once the session's token has expired past the grace.
 * Rather than a scheduled task per connection, each event loop has one {@link HeartbeatSweep}
 * that holds its connections and walks them every tick (a quarter of the heartbeat, at most a
 * second), so an idle connection costs a small entry in an array, nothing in the loop's timer
 * queue, and no garbage per heartbeat. Each deadline is kept at most one tick late. The same
 * arrays are what {@link #closeAll} walks, so a connection needs no entry in a channel group.
 */
public final class OpenWebSockets {
  private final long heartbeatNanos;
  private final long graceMillis;
  private final long tickNanos;
  private final Map<EventExecutor, HeartbeatSweep> byLoop = new ConcurrentHashMap<>();

  public OpenWebSockets(int heartbeatSeconds, Duration grace) {
    if (heartbeatSeconds < 1) {
      throw new IllegalArgumentException("heartbeat must be at least 1 second");
    }
    this.heartbeatNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds);
    this.graceMillis = grace.toMillis();
    this.tickNanos = Math.min(TimeUnit.SECONDS.toNanos(1), heartbeatNanos / 4);
  }

  /**
   * Starts watching a connection that has just opened; call on its event loop. The first ping
   * is due one heartbeat from now. Stop with {@link HeartbeatSweep.Watch#stop()} when it closes.
   */
  HeartbeatSweep.Watch watch(ChannelHandlerContext ctx, NettyConnection connection, Session session,
                             InboundActivity activity) {
    EventExecutor loop = ctx.executor();
    HeartbeatSweep sweep = byLoop.computeIfAbsent(loop, l -> {
      HeartbeatSweep s = new HeartbeatSweep(heartbeatNanos, graceMillis);
      l.scheduleAtFixedRate(s, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
      return s;
    });
    return sweep.add(connection, session, activity);
  }

  /**
   * Says {@code code} to every open WebSocket and closes each once that frame is out, waiting up
   * to {@code timeout} for all of them; the ones still open then (a peer that does not read)
   * are closed without it. For the server's shutdown, while the event loops still run.
   */
  public void closeAll(int code, String reason, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<List<ChannelFuture>>> asked = new ArrayList<>();
    byLoop.forEach((loop, sweep) -> {
      try {
        asked.add(loop.submit(() -> sweep.closeAll(code, reason)));
      } catch (RejectedExecutionException e) {
        // the loop is shutting down: it closes its channels itself
      }
    });
    List<ChannelFuture> closing = new ArrayList<>();
    for (Future<List<ChannelFuture>> f : asked) {
      if (f.awaitUninterruptibly(millisUntil(deadline)) && f.isSuccess()) {
        closing.addAll(f.getNow());
      }
    }
    for (ChannelFuture closed : closing) {
      if (!closed.awaitUninterruptibly(millisUntil(deadline))) {
        closed.channel().close();
      }
    }
  }

  private static long millisUntil(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
