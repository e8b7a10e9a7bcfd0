package dev.parley.bench.jmh;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An event loop driven by the benchmark thread, for an {@link io.netty.channel.embedded.EmbeddedChannel}
 * that other threads write to. Netty's own embedded loop claims that every thread is "in the event
 * loop", so the engine's commit thread would touch the channel concurrently with the benchmark
 * thread. Here only the owner is in the loop: writes from other threads are queued as tasks (as on
 * a real event loop) and the owner runs them. Scheduled tasks (heartbeats, idle timers) never run.
 */
final class BenchEventLoop extends AbstractScheduledEventExecutor implements EventLoop {
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Promise<Void> termination = ImmediateEventExecutor.INSTANCE.newPromise();
  private volatile Thread owner = Thread.currentThread();

  /** Makes the calling thread the loop's thread. */
  void own() {
    owner = Thread.currentThread();
  }

  /** Runs the queued tasks on the calling thread (the owner); true if there were any. */
  boolean runTasks() {
    boolean ran = false;
    for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
      r.run();
      ran = true;
    }
    return ran;
  }

  /** Runs tasks until {@code done} holds, parking while there are none; fails after 10 s. */
  void runUntil(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (!runTasks()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no answer within 10 s");
        }
        LockSupport.parkNanos(this, 100_000);
      }
    }
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    LockSupport.unpark(owner);
  }

  @Override
  public boolean inEventLoop(Thread thread) {
    return thread == owner;
  }

  @Override
  public EventLoopGroup parent() {
    return this;
  }

  @Override
  public EventLoop next() {
    return this;
  }

  @Override
  public ChannelFuture register(Channel channel) {
    throw new UnsupportedOperationException("channels register on their embedded loop");
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    throw new UnsupportedOperationException("channels register on their embedded loop");
  }

  @Deprecated
  @Override
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    throw new UnsupportedOperationException("channels register on their embedded loop");
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    cancelScheduledTasks();
    termination.trySuccess(null);
    return termination;
  }

  @Override
  public Future<?> terminationFuture() {
    return termination;
  }

  @Deprecated
  @Override
  public void shutdown() {
    shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Override
  public boolean isShuttingDown() {
    return termination.isDone();
  }

  @Override
  public boolean isShutdown() {
    return termination.isDone();
  }

  @Override
  public boolean isTerminated() {
    return termination.isDone();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return termination.isDone();
  }
}
