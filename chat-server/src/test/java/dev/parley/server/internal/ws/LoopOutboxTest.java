package dev.parley.server.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames sent from threads other than the channel's loop reach the socket through the loop's
 * outbox: every one, each producer's in its order, and flushed with no other write to push them.
 * Real sockets: a Netty NIO channel writes, a plain socket reads the frames.
 */
class LoopOutboxTest {
  private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private ServerSocket listener;
  private Socket reader;
  private Channel channel;

  @BeforeEach
  void connect() throws Exception {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    channel = new Bootstrap().group(loops).channel(NioSocketChannel.class)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(listener.getLocalSocketAddress()).sync().channel();
    reader = listener.accept();
    reader.setSoTimeout(10_000);
  }

  @AfterEach
  void close() throws Exception {
    channel.close().sync();
    reader.close();
    listener.close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void everyProducersFramesArriveInTheirOrderAndAreFlushed() throws Exception {
    NettyConnection connection = new NettyConnection(channel, new ServerMetrics(() -> 0));
    int producers = 4;
    int each = 1_000; // 4,000 frames stay under the slow-consumer cut (16 x the high water mark)
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      String name = "p" + p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          connection.send((name + ":" + i).getBytes(StandardCharsets.UTF_8));
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    int[] next = new int[producers];
    DataInputStream in = new DataInputStream(reader.getInputStream());
    for (int n = 0; n < producers * each; n++) {
      String payload = readTextFrame(in);
      int producer = payload.charAt(1) - '0';
      assertThat(payload).isEqualTo("p" + producer + ":" + next[producer]);
      next[producer]++;
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(next).containsOnly(each);
  }

  @Test
  void aSingleSendFromAnotherThreadIsFlushedOnItsOwn() throws Exception {
    NettyConnection connection = new NettyConnection(channel, new ServerMetrics(() -> 0));
    DataInputStream in = new DataInputStream(reader.getInputStream());
    for (int i = 0; i < 3; i++) {
      connection.send(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      assertThat(readTextFrame(in)).isEqualTo("{\"n\":" + i + "}");
    }
  }

  @Test
  void withinABurstTheLoopGetsTheFramesWhenTheBurstEnds() throws Exception {
    NettyConnection connection = new NettyConnection(channel, new ServerMetrics(() -> 0));
    DataInputStream in = new DataInputStream(reader.getInputStream());
    LoopOutbox.sendBurst().run(() -> {
      for (int i = 0; i < 3; i++) {
        connection.send(("b" + i).getBytes(StandardCharsets.UTF_8));
      }
      // a drain scheduled by those sends would run before this task: none was
      afterTheLoopsPendingTasks();
      assertThat(unread(in)).isZero();
    });
    for (int i = 0; i < 3; i++) {
      assertThat(readTextFrame(in)).isEqualTo("b" + i);
    }
  }

  @Test
  void aLongBurstHandsOverAsItGoes() throws Exception {
    NettyConnection connection = new NettyConnection(channel, new ServerMetrics(() -> 0));
    DataInputStream in = new DataInputStream(reader.getInputStream());
    int frames = LoopOutbox.BURST_WRITES + 10;
    LoopOutbox.sendBurst().run(() -> {
      for (int i = 0; i < frames; i++) {
        connection.send(("c" + i).getBytes(StandardCharsets.UTF_8));
      }
      afterTheLoopsPendingTasks();
      assertThat(unread(in)).isPositive();
    });
    for (int i = 0; i < frames; i++) {
      assertThat(readTextFrame(in)).isEqualTo("c" + i);
    }
  }

  @Test
  void oneFrameForSeveralConnectionsReachesEachWholeAndItsBufferIsReleased() throws Exception {
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
    List<Channel> channels = new ArrayList<>();
    List<DataInputStream> ins = new ArrayList<>();
    List<NettyConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Channel c = new Bootstrap().group(loops).channel(NioSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, alloc).handler(new ChannelInboundHandlerAdapter())
            .connect(listener.getLocalSocketAddress()).sync().channel();
        Socket s = listener.accept();
        s.setSoTimeout(10_000);
        channels.add(c);
        ins.add(new DataInputStream(s.getInputStream()));
        connections.add(new NettyConnection(c, new ServerMetrics(() -> 0)));
      }
      byte[] message = "{\"m\":1}".getBytes(StandardCharsets.UTF_8);
      byte[] own = "{\"ack\":1}".getBytes(StandardCharsets.UTF_8);
      LoopOutbox.sendBurst().run(() -> {
        connections.get(0).send(own); // a frame for one connection, then one for all three
        for (NettyConnection c : connections) {
          c.send(message);
        }
        connections.get(2).send(own);
      });
      assertThat(readTextFrame(ins.get(0))).isEqualTo("{\"ack\":1}");
      for (DataInputStream in : ins) {
        assertThat(readTextFrame(in)).isEqualTo("{\"m\":1}");
      }
      assertThat(readTextFrame(ins.get(2))).isEqualTo("{\"ack\":1}");
      // every buffer the drain made, the shared one and its duplicates, went back
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> alloc.metric().usedDirectMemory() == 0);
    } finally {
      for (Channel c : channels) {
        c.close().sync();
      }
    }
  }

  private static int unread(DataInputStream in) {
    try {
      return in.available();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void afterTheLoopsPendingTasks() {
    channel.eventLoop().submit(() -> { }).syncUninterruptibly();
  }

  /** One short unmasked final text frame, as a server writes it. */
  private static String readTextFrame(DataInputStream in) throws Exception {
    assertThat(in.readUnsignedByte()).isEqualTo(0x81);
    int length = in.readUnsignedByte();
    assertThat(length).isLessThan(126);
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }
}
