package dev.parley.server.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps a connection's HTTP/1.1 answers in the order of its requests. Requests are handled on
 * worker threads and may finish out of order; a pipelining client still gets its answers in
 * order, and a final {@code Connection: close} answer goes out after the ones before it. Each
 * request takes a ticket on the event loop; its answer is written when all earlier ones are.
 */
final class ResponseOrder {
  private static final AttributeKey<ResponseOrder> KEY = AttributeKey.valueOf(ResponseOrder.class, "order");

  private final Channel channel;
  private final Map<Long, Runnable> ready = new HashMap<>();
  private long nextTicket;
  private long nextToWrite;
  /** An answer still being written in pieces: the ones after it wait for it. */
  private ChannelFuture pending;

  private ResponseOrder(Channel channel) {
    this.channel = channel;
  }

  /** The channel's order; call on its event loop. */
  static ResponseOrder of(Channel channel) {
    ResponseOrder order = channel.attr(KEY).get();
    if (order == null) {
      order = new ResponseOrder(channel);
      channel.attr(KEY).set(order);
    }
    return order;
  }

  /** A ticket for the request being read now. Event loop only. */
  long take() {
    return nextTicket++;
  }

  /** Writes the answer of {@code ticket} once every earlier answer is written. Any thread. */
  void complete(long ticket, Runnable write) {
    if (channel.eventLoop().inEventLoop()) {
      completeOnLoop(ticket, write);
    } else {
      channel.eventLoop().execute(() -> completeOnLoop(ticket, write));
    }
  }

  /**
   * Like {@link #complete}, for an answer written in pieces after {@code write} returns (a
   * streamed download): the answers after it wait until its future is done. Any thread.
   */
  void completeStreamed(long ticket, Supplier<ChannelFuture> write) {
    complete(ticket, () -> {
      ChannelFuture f = write.get();
      if (!f.isDone()) {
        pending = f;
        f.addListener(done -> {
          pending = null;
          drain();
        });
      }
    });
  }

  private void completeOnLoop(long ticket, Runnable write) {
    ready.put(ticket, write);
    drain();
  }

  private void drain() {
    while (pending == null) {
      Runnable next = ready.remove(nextToWrite);
      if (next == null) {
        return;
      }
      nextToWrite++;
      next.run();
    }
  }
}
