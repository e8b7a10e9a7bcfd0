package dev.parley.bench.baseline;

import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.MessageAckFrame;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.frame.SendFrame;
import dev.parley.protocol.model.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The least a broadcast server must do to ack only what is on disk: the bare baseline's
 * {@code --durable} mode. One thread takes the sends in arrival order, numbers them per room,
 * appends their {@code message} frames to a log file with one gathering write, syncs the file's
 * data ({@code fdatasync}, {@link FileChannel#force(boolean) force(false)}), and only then hands
 * the acks and copies to the event loops: one task per loop per commit, each connection flushed
 * once, as the real server does. While a commit syncs, the next sends queue up and form the next
 * batch (group commit, no waiting).
 *
 * <p>The file is preallocated and written again from its start when full, like a SQLite WAL that
 * is reused, so that a sync never carries a change of the file's size. Nothing is read back: this
 * is a floor to measure a durable server against (the disk, the system calls, the hand-offs), not
 * a store.
 */
final class DurableBroadcast implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DurableBroadcast.class);
  /** Size of the log file, written again from the start when full. */
  static final long LOG_BYTES = 64L << 20;
  private static final int PREALLOCATE_CHUNK = 1 << 20;

  /** A send read on a connection's loop, waiting for its commit. */
  record Send(Channel sender, BareNettyServer.Room room, String user, SendFrame frame) {
  }

  private final FrameCodec codec;
  private final AtomicLong ids;
  private final FileChannel file;
  private final BlockingQueue<Send> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private long position;
  private volatile long commits;
  private volatile long committed;

  DurableBroadcast(Path path, FrameCodec codec, AtomicLong ids) {
    this.codec = codec;
    this.ids = ids;
    try {
      this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      ByteBuffer zeros = ByteBuffer.allocate(PREALLOCATE_CHUNK);
      for (long at = 0; at < LOG_BYTES; at += PREALLOCATE_CHUNK) {
        zeros.clear();
        while (zeros.hasRemaining()) {
          file.write(zeros, at + zeros.position());
        }
      }
      file.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the log " + path, e);
    }
    this.thread = new Thread(this::run, "bare-commit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void submit(Send send) {
    queue.add(send);
  }

  private void run() {
    List<Send> batch = new ArrayList<>();
    while (running) {
      try {
        Send first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        commit(batch);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        if (!running) {
          return; // closed while syncing: the interrupt closed the file
        }
        // a baseline that cannot write its log must not go on acking
        log.error("log write failed: acking nothing more, closing the senders of the batch", e);
        running = false;
        for (Send s : batch) {
          s.sender().close();
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Send> batch) throws IOException {
    ByteBuffer[] records = new ByteBuffer[batch.size()];
    Map<EventLoop, LoopDeliveries> byLoop = new IdentityHashMap<>();
    long ts = System.currentTimeMillis();
    for (int i = 0; i < batch.size(); i++) {
      Send s = batch.get(i);
      SendFrame f = s.frame();
      long seq = s.room().seq().incrementAndGet();
      String messageId = "m" + ids.incrementAndGet();
      byte[] message = codec.encode(new MessageFrame(new Message(messageId, f.thread(), seq,
          s.user(), f.body(), ts, f.clientId(), List.of())));
      byte[] ack = codec.encode(new MessageAckFrame(f.id(), f.thread(), seq, messageId, ts));
      records[i] = ByteBuffer.wrap(message);
      deliveries(byLoop, s.sender()).add(s.sender(), ack);
      for (Channel ch : s.room().channels()) {
        deliveries(byLoop, ch).add(ch, message);
      }
    }
    append(records);
    file.force(false);
    commits++;
    committed += batch.size();
    for (LoopDeliveries d : byLoop.values()) {
      d.loop.execute(d);
    }
  }

  private static LoopDeliveries deliveries(Map<EventLoop, LoopDeliveries> byLoop, Channel ch) {
    return byLoop.computeIfAbsent(ch.eventLoop(), LoopDeliveries::new);
  }

  private void append(ByteBuffer[] records) throws IOException {
    long size = 0;
    for (ByteBuffer r : records) {
      size += r.remaining();
    }
    if (position + size > LOG_BYTES) {
      position = 0;
    }
    file.position(position);
    long written = 0;
    while (written < size) {
      written += file.write(records);
    }
    position += size;
  }

  /** Commits so far and the sends they held, for the log at exit. */
  String summary() {
    long n = commits;
    return n + " commits of " + (n == 0 ? 0 : String.format("%.2f", (double) committed / n))
        + " sends on average";
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
      file.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One commit's frames for the connections of one event loop, written there in order. */
  private static final class LoopDeliveries implements Runnable {
    final EventLoop loop;
    private final List<Channel> channels = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();

    LoopDeliveries(EventLoop loop) {
      this.loop = loop;
    }

    void add(Channel ch, byte[] frame) {
      channels.add(ch);
      frames.add(frame);
    }

    @Override
    public void run() {
      Set<Channel> written = new LinkedHashSet<>();
      for (int i = 0; i < channels.size(); i++) {
        Channel ch = channels.get(i);
        ch.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frames.get(i))), ch.voidPromise());
        written.add(ch);
      }
      for (Channel ch : written) {
        ch.flush();
      }
    }
  }
}
