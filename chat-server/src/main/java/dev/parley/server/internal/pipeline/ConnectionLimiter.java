package dev.parley.server.internal.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open connections, in total and per client address: a connection over either cap is
 * closed as soon as it is accepted, before it costs a byte of parsing. Shared by all channels.
 * It is not a handler: a counted connection is released by a listener on its close future, so
 * an idle connection carries no pipeline context or channel attribute for it, and no event passes
 * through it.
 */
public final class ConnectionLimiter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  /**
   * One listener for every counted channel (no capture per connection): the channel caches the
   * remote address it was admitted with, so the closed channel still tells whose count to release.
   */
  private final ChannelFutureListener release = closed -> closed(addressOf(closed.channel()));

  public ConnectionLimiter(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Counts a newly accepted channel until it closes, or closes it at once when it is over a cap.
   * Returns false for a refused channel, which then needs no pipeline.
   */
  public boolean admit(Channel channel) {
    InetAddress address = addressOf(channel);
    if (address == null) {
      return true;
    }
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      refuse(channel, "total", address);
      return false;
    }
    AtomicInteger count = perAddress.computeIfAbsent(address, k -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerAddress) {
      release(address, count);
      total.decrementAndGet();
      refuse(channel, "per-address", address);
      return false;
    }
    channel.closeFuture().addListener(release);
    return true;
  }

  private static InetAddress addressOf(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  private void closed(InetAddress address) {
    total.decrementAndGet();
    if (address == null) {
      return; // cannot happen for a channel admitted with an address; never leak the total
    }
    AtomicInteger count = perAddress.get(address); // the map's counter: a race may have merged ours
    if (count != null) {
      release(address, count);
    }
  }

  /** Open connections counted now. */
  public int open() {
    return total.get();
  }

  /** Connections refused since start. */
  public long refused() {
    return refused.get();
  }

  private void release(InetAddress address, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      perAddress.remove(address, count);
      if (count.get() > 0) {
        // a connection raced in after the removal: put the counter back
        perAddress.merge(address, count, (a, b) -> {
          a.addAndGet(b.get());
          return a;
        });
      }
    }
  }

  private void refuse(Channel channel, String which, InetAddress address) {
    refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      log.warn("refusing connections over the {} limit (latest from {}; {} refused so far)",
          which, address.getHostAddress(), refused.get());
    }
    channel.close();
  }
}
