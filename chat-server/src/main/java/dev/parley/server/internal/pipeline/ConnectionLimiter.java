package dev.parley.server.internal.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
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
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
  private static final AttributeKey<InetAddress> COUNTED =
      AttributeKey.valueOf(ConnectionLimiter.class, "counted");
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  public ConnectionLimiter(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (address == null) {
      super.channelActive(ctx);
      return;
    }
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      refuse(ctx, "total", address);
      return;
    }
    AtomicInteger count = perAddress.computeIfAbsent(address, k -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerAddress) {
      release(address, count);
      total.decrementAndGet();
      refuse(ctx, "per-address", address);
      return;
    }
    ctx.channel().attr(COUNTED).set(address);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
    if (address != null) {
      total.decrementAndGet();
      AtomicInteger count = perAddress.get(address);
      if (count != null) {
        release(address, count);
      }
    }
    super.channelInactive(ctx);
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

  private void refuse(ChannelHandlerContext ctx, String which, InetAddress address) {
    refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      log.warn("refusing connections over the {} limit (latest from {}; {} refused so far)",
          which, address.getHostAddress(), refused.get());
    }
    ctx.close();
  }
}
