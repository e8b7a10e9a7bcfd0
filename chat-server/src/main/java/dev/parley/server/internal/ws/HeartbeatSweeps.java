package dev.parley.server.internal.ws;

import dev.parley.core.session.Session;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The timers of every open WebSocket of a server: the heartbeat ping every {@code heartbeat},
 * the close with 4000 after twice that without a frame, and the close with 4401 once the
 * session's token has expired past the grace. Rather than a scheduled task per connection, each
 * event loop has one {@link HeartbeatSweep} that walks its connections every tick
 * (a quarter of the heartbeat, at most a second), so an idle connection costs a small entry in
 * an array, nothing in the loop's timer queue, and no garbage per heartbeat. Each deadline is
 * kept at most one tick late.
 */
public final class HeartbeatSweeps {
  private final long heartbeatNanos;
  private final long graceMillis;
  private final long tickNanos;
  private final Map<EventExecutor, HeartbeatSweep> byLoop = new ConcurrentHashMap<>();

  public HeartbeatSweeps(int heartbeatSeconds, Duration grace) {
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
}
