package dev.parley.server.internal.ws;

import dev.parley.core.session.Session;
import dev.parley.protocol.CloseCodes;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's open WebSockets and the periodic walk over them (see {@link OpenWebSockets}).
 * Everything here runs on that loop: connections are added when they open, removed when they
 * close, and the walk pings, or closes with 4000 or 4401, the ones whose time has come.
 */
final class HeartbeatSweep implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatSweep.class);
  private final long heartbeatNanos;
  private final long graceMillis;
  private Watch[] watches = new Watch[64];
  private int size;

  HeartbeatSweep(long heartbeatNanos, long graceMillis) {
    this.heartbeatNanos = heartbeatNanos;
    this.graceMillis = graceMillis;
  }

  /** One watched connection: its place in the array and when its next ping is due. */
  final class Watch {
    private final NettyConnection connection;
    private final Session session;
    private final InboundActivity activity;
    private long nextPingNanos;
    private int index;

    private Watch(NettyConnection connection, Session session, InboundActivity activity,
                  long nextPingNanos) {
      this.connection = connection;
      this.session = session;
      this.activity = activity;
      this.nextPingNanos = nextPingNanos;
    }

    /** No more pings or checks for this connection; call on its event loop. Idempotent. */
    void stop() {
      if (index >= 0) {
        remove(this);
      }
    }
  }

  Watch add(NettyConnection connection, Session session, InboundActivity activity) {
    Watch w = new Watch(connection, session, activity, System.nanoTime() + heartbeatNanos);
    int n = size;
    if (n == watches.length) {
      watches = Arrays.copyOf(watches, n * 2);
    }
    w.index = n;
    watches[n] = w;
    size = n + 1;
    return w;
  }

  private void remove(Watch w) {
    int last = size - 1;
    Watch moved = watches[last];
    watches[w.index] = moved;
    moved.index = w.index;
    watches[last] = null;
    w.index = -1;
    size = last;
    if (watches.length > 64 && last < watches.length / 4) {
      watches = Arrays.copyOf(watches, watches.length / 2);
    }
  }

  /**
   * Says {@code code} to every connection of this loop and closes each once that frame is out;
   * returns their close futures. Runs on the loop.
   */
  List<ChannelFuture> closeAll(int code, String reason) {
    List<ChannelFuture> closing = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      NettyConnection c = watches[i].connection;
      c.close(code, reason);
      closing.add(c.closeFuture());
    }
    return closing;
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    int i = 0;
    while (i < size) {
      Watch w = watches[i];
      boolean keep;
      try {
        keep = check(w, now, nowMillis);
      } catch (RuntimeException e) {
        // never let one connection end the sweep: a periodic task that throws is not run again
        log.warn("heartbeat check of {} failed; no more heartbeats for it", w.connection.describe(), e);
        keep = false;
      }
      if (!keep && w.index >= 0) {
        remove(w);
      }
      // when w left (here, or stopped by its own close), the last one moved into slot i: look at
      // that one next
      if (i < size && watches[i] == w) {
        i++;
      }
    }
  }

  /** Pings or closes one connection as its time has come; false when it is to be dropped. */
  private boolean check(Watch w, long now, long nowMillis) {
    if (w.connection.isClosing()) {
      return false;
    }
    if (now - w.activity.lastReadNanos() >= 2 * heartbeatNanos) {
      w.connection.close(CloseCodes.HEARTBEAT_TIMEOUT, "no heartbeat");
      return false;
    }
    if (nowMillis >= w.session.expiresAtMillis() + graceMillis) {
      w.connection.close(CloseCodes.TOKEN_EXPIRED, "token expired");
      return false;
    }
    if (now - w.nextPingNanos >= 0) {
      w.connection.ping();
      w.nextPingNanos = now + heartbeatNanos;
    }
    return true;
  }
}
