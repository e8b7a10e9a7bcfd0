package dev.parley.server.internal.ws;

import dev.parley.core.session.SendBurst;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Frames written to one event loop's connections from other threads (the commit thread's acks and
 * deliveries, the broker's), handed over in bulk. Every write joins one queue; the first after a
 * drain schedules one drain task, and the writes that arrive before it runs ride along. The drain
 * writes them in queue order and then flushes each connection it wrote to once.
 *
 * <p>Inside a {@linkplain #sendBurst() send burst} (the engine runs each commit batch's callbacks
 * in one) a thread only queues: it schedules the drains of the loops it wrote to when the burst
 * ends, or every {@value #BURST_WRITES} writes, so the loops are woken once per batch rather
 * than once per frame. On a server pinned to one core a wake-up per frame also meant a context
 * switch per frame: the woken loop ran at once, drained one frame and slept again.
 *
 * <p>A producer's writes keep their order (the queue is FIFO per producer). A connection that is
 * closing drops what is still queued for it, as it drops any later send.
 */
public final class LoopOutbox implements Runnable {
  /**
   * Within a burst, the loops are woken after this many writes at the latest. A full commit batch
   * (512 messages) to rooms of ten is 5,632 writes (deliveries and acks), so a batch wakes each
   * loop once: at 512 a batch of 110 such messages woke the loops three times, each connection
   * was flushed up to three times a batch, and a delivery cost 6 to 8 % more of the server's CPU
   * in {@code writev}s (BENCHMARKS.md, "Session 19"). The bound keeps a batch to a very large
   * room from queueing without limit.
   */
  static final int BURST_WRITES = 8192;
  /** Weak keys: a stopped server's loops go; an outbox refers to no loop, so it does not hold its key. */
  private static final Map<EventLoop, LoopOutbox> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());
  private static final ThreadLocal<Burst> BURST = ThreadLocal.withInitial(Burst::new);
  private static final SendBurst SEND_BURST = LoopOutbox::burst;

  private final Queue<Write> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Loop-confined: the connections written to by the current drain. */
  private final List<NettyConnection> written = new ArrayList<>();

  private LoopOutbox() {
  }

  /** The outbox of {@code loop}, made on first use (once per connection, not per write). */
  static LoopOutbox of(EventLoop loop) {
    return BY_LOOP.computeIfAbsent(loop, l -> new LoopOutbox());
  }

  /** The engine's {@link SendBurst} for connections on Netty event loops. */
  public static SendBurst sendBurst() {
    return SEND_BURST;
  }

  /**
   * Queues a frame in wire form for {@code connection}, whose channel is on {@code loop} (this
   * outbox's), from any thread but the loop's.
   */
  void add(EventLoop loop, NettyConnection connection, byte[] frame) {
    queue.offer(new Write(connection, frame));
    Burst burst = BURST.get();
    if (burst.depth > 0) {
      burst.defer(this, loop);
    } else {
      schedule(loop);
    }
  }

  private void schedule(EventLoop loop) {
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  private static void burst(Runnable sends) {
    Burst burst = BURST.get();
    burst.depth++;
    try {
      sends.run();
    } finally {
      if (--burst.depth == 0) {
        burst.wake();
      }
    }
  }

  /**
   * The drain, on the loop. A frame queued for several connections in a row (one message to the
   * members connected to this loop) is copied once into a direct buffer that they all write a
   * duplicate of: written as a heap array, each write would be copied into a direct buffer of its
   * own by the epoll transport.
   */
  @Override
  public void run() {
    scheduled.set(false);
    byte[] sharedFrame = null;
    ByteBuf shared = null;
    try {
      for (Write w = queue.poll(); w != null; w = queue.poll()) {
        ByteBuf buf;
        if (w.frame == sharedFrame) {
          buf = shared.retainedDuplicate();
        } else {
          if (shared != null) {
            shared.release();
            shared = null;
            sharedFrame = null;
          }
          buf = direct(w.connection, w.frame);
          Write next = queue.peek();
          if (next != null && next.frame == w.frame) {
            shared = buf;
            sharedFrame = w.frame;
            buf = shared.retainedDuplicate();
          }
        }
        if (w.connection.writeUnflushed(buf)) {
          written.add(w.connection);
        }
      }
    } finally {
      if (shared != null) {
        shared.release();
      }
      for (NettyConnection c : written) {
        c.flushWritten();
      }
      written.clear();
    }
  }

  private static ByteBuf direct(NettyConnection connection, byte[] frame) {
    return connection.alloc().directBuffer(frame.length).writeBytes(frame);
  }

  private record Write(NettyConnection connection, byte[] frame) {
  }

  /** One thread's burst: the outboxes it queued to and not yet scheduled. */
  private static final class Burst {
    int depth;
    int writes;
    final List<LoopOutbox> outboxes = new ArrayList<>();
    final List<EventLoop> loops = new ArrayList<>();

    void defer(LoopOutbox outbox, EventLoop loop) {
      if (!outboxes.contains(outbox)) { // a handful of loops: a scan beats hashing
        outboxes.add(outbox);
        loops.add(loop);
      }
      if (++writes >= BURST_WRITES) {
        wake();
      }
    }

    void wake() {
      for (int i = 0; i < outboxes.size(); i++) {
        outboxes.get(i).schedule(loops.get(i));
      }
      outboxes.clear();
      loops.clear();
      writes = 0;
    }
  }
}
