package dev.parley.bench.load;

import dev.parley.bench.load.RestSetup.BenchUser;
import dev.parley.client.transport.FrameHandler;
import dev.parley.client.transport.WsConnection;
import dev.parley.client.transport.WsTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one load scenario against a server (ours, or anything that speaks the same frames):
 * registers users, creates their groups, opens one WebSocket per user, lets the senders send,
 * and checks that every message was acked and delivered to every member of its group.
 *
 * <p>Each message carries its intended send time (nanoTime), sender and number in its
 * {@code clientId} and frame {@code id}, so an ack and every delivered copy tell their own
 * latency; all clocks are this JVM's. Given several nodes of one cluster, the copies delivered on
 * another node than the sender's are also measured on their own (cross-node delivery).
 */
public final class LoadGenerator {
  private static final int CONNECT_IN_FLIGHT = 256;
  private static final long TIMELINE_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final byte[] ID_FIELD = bytes("\"id\":\"");
  private static final byte[] CLIENT_ID_FIELD = bytes("\"clientId\":\"");

  private final LoadOptions o;
  private final long base = System.nanoTime();
  private final Recorder ackLatency = new Recorder(3);
  private final Recorder deliveryLatency = new Recorder(3);
  private final Recorder remoteDeliveryLatency = new Recorder(3);
  private final LongAdder errors = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final LongAdder sentInWindow = new LongAdder();
  private Sender[] senders;
  private Member[] members;
  private int[] senderNode;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private volatile long sendUntil = Long.MAX_VALUE;
  private volatile LatencyTimeline timeline;
  private String body;

  private LoadGenerator(LoadOptions options) {
    this.o = options;
  }

  /** Runs the scenario and reports; throws IllegalStateException when the setup fails. */
  public static LoadReport run(LoadOptions options) {
    return new LoadGenerator(options).run();
  }

  /** One connection's receiving side. Fields are touched only on the connection's event loop. */
  private static final class Member {
    final int group;
    final int node;
    volatile long received;
    WsConnection connection;

    Member(int group, int node) {
      this.group = group;
      this.node = node;
    }
  }

  /** One sending connection; touched only on its event loop. */
  private final class Sender {
    final int index;
    final WsConnection connection;
    final String thread;
    final int group;
    final long interval;
    volatile long sent;
    volatile long acked;
    volatile long failed;
    long nextIntended;
    int inFlight;

    Sender(int index, WsConnection connection, String thread, int group, long interval) {
      this.index = index;
      this.connection = connection;
      this.thread = thread;
      this.group = group;
      this.interval = interval;
    }

    EventLoop loop() {
      return connection.channel().eventLoop();
    }

    void startFlatOut() {
      for (int i = 0; i < o.window(); i++) {
        sendOne(System.nanoTime());
      }
    }

    void tick() {
      long now = System.nanoTime();
      while (nextIntended <= now && nextIntended < sendUntil) {
        sendOne(nextIntended);
        nextIntended += interval;
      }
      if (nextIntended < sendUntil) {
        loop().schedule(this::tick, nextIntended - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
    }

    void sendOne(long intended) {
      if (!connection.channel().isActive()) {
        return;
      }
      String id = messageId(intended - base, index, sent);
      StringBuilder b = new StringBuilder(64 + body.length())
          .append("{\"type\":\"send\",\"id\":\"").append(id)
          .append("\",\"thread\":\"").append(thread)
          .append("\",\"clientId\":\"").append(id)
          .append("\",\"body\":\"").append(body).append("\"}");
      ByteBuf buf = connection.channel().alloc().buffer(b.length());
      ByteBufUtil.writeAscii(buf, b);
      sent++;
      inFlight++;
      if (inWindow(intended)) {
        sentInWindow.increment();
      }
      connection.channel().writeAndFlush(new TextWebSocketFrame(buf), connection.channel().voidPromise());
    }

    /** An ack or an error answered one of this sender's messages. */
    void answered(long intended, boolean ok) {
      inFlight--;
      if (ok) {
        acked++;
        if (inWindow(intended)) {
          ackLatency.recordValue(Math.max(0, System.nanoTime() - intended));
        }
      } else {
        failed++;
      }
      if (o.flatOut() && System.nanoTime() < sendUntil) {
        sendOne(System.nanoTime());
      }
    }
  }

  private boolean inWindow(long intended) {
    return intended >= windowStart && intended < windowEnd;
  }

  private LoadReport run() {
    long setupStart = System.nanoTime();
    body = "x".repeat(o.bodyBytes());
    int groups = o.groups();
    List<BenchUser> users;
    List<String> threads;
    try (RestSetup rest = new RestSetup(o.url(), 16)) {
      users = rest.users(o.connections(), o.userPrefix(), o.password());
      List<BenchUser> creators = new ArrayList<>();
      List<List<String>> others = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        int from = g * o.groupSize();
        int to = Math.min(o.connections(), from + o.groupSize());
        creators.add(users.get(from));
        List<String> ids = new ArrayList<>();
        for (int i = from + 1; i < to; i++) {
          ids.add(users.get(i).id());
        }
        others.add(ids);
      }
      threads = rest.groups(creators, others, o.userPrefix());
    }

    members = new Member[o.connections()];
    try (BenchConnections client = new BenchConnections(o.urls(), o.eventLoops(), o.spreadSources())) {
      connectAll(client, users);
      senders = new Sender[o.senders()];
      senderNode = new int[o.senders()];
      long interval = o.flatOut() ? 0 : (long) (1e9 * o.senders() / o.rate());
      for (int s = 0; s < o.senders(); s++) {
        // spread the senders over the groups: sender s is connection s * C / S
        int c = (int) ((long) s * o.connections() / o.senders());
        int g = members[c].group;
        senders[s] = new Sender(s, members[c].connection, threads.get(g), g, interval);
        senderNode[s] = members[c].node;
        members[c].connection.attach(senders[s]);
      }
      double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
      return measure(setupSeconds, interval, client);
    }
  }

  private void connectAll(BenchConnections client, List<BenchUser> users) {
    Semaphore permits = new Semaphore(CONNECT_IN_FLIGHT);
    List<CompletableFuture<WsConnection>> pending = new ArrayList<>();
    FrameHandler listener = new Listener();
    for (int c = 0; c < o.connections(); c++) {
      members[c] = new Member(c / o.groupSize(), client.nodeOf(c));
      permits.acquireUninterruptibly();
      CompletableFuture<WsConnection> f = client.connect(c, users.get(c).token(), listener);
      f.whenComplete((conn, err) -> permits.release());
      pending.add(f);
    }
    for (int c = 0; c < pending.size(); c++) {
      try {
        members[c].connection = pending.get(c).get(60, TimeUnit.SECONDS);
        members[c].connection.attach(null);
      } catch (Exception e) {
        throw new IllegalStateException("connection " + c + " failed: " + e, e);
      }
    }
  }

  private LoadReport measure(double setupSeconds, long interval, BenchConnections client) {
    long start = System.nanoTime();
    windowStart = start + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
    windowEnd = windowStart + TimeUnit.SECONDS.toNanos(o.durationSeconds());
    sendUntil = windowEnd;
    if (o.timeline() != null) {
      timeline = new LatencyTimeline(windowStart, windowEnd - windowStart, TIMELINE_SLOT_NANOS);
    }
    for (Sender s : senders) {
      if (o.flatOut()) {
        s.loop().execute(s::startFlatOut);
      } else {
        // stagger the senders evenly over one interval
        s.nextIntended = start + interval * s.index / senders.length;
        s.loop().execute(s::tick);
      }
    }
    // No reset of the latency recorders here: they only ever record sends intended inside the
    // window, and one whose answer arrived before this thread woke would have been dropped (from
    // the histograms, not from the timeline, which then disagreed with them).
    sleepUntil(windowStart);
    double serverCpu0 = ProcessStats.cpuSeconds(o.serverPid());
    double clientCpu0 = ProcessStats.ownCpuSeconds();
    sleepUntil(windowEnd);
    double serverCpu = ProcessStats.cpuSeconds(o.serverPid());
    double clientCpu = ProcessStats.ownCpuSeconds() - clientCpu0;
    long rss = ProcessStats.rssBytes(o.serverPid());
    drain();
    writeTimeline();
    Histogram acks = ackLatency.getIntervalHistogram();
    Histogram deliveries = deliveryLatency.getIntervalHistogram();
    Histogram remoteDeliveries = remoteDeliveryLatency.getIntervalHistogram();

    long sent = 0;
    long acked = 0;
    long[] sentPerGroup = new long[o.groups()];
    for (Sender s : senders) {
      sent += s.sent;
      acked += s.acked;
      sentPerGroup[s.group] += s.sent;
    }
    long delivered = 0;
    long expected = 0;
    long missing = 0;
    long duplicates = 0;
    StringBuilder detail = new StringBuilder();
    for (int c = 0; c < members.length; c++) {
      Member m = members[c];
      long want = sentPerGroup[m.group];
      long got = m.received;
      if (got != want && detail.length() < 500) {
        detail.append(String.format("connection %d (group %d%s): %d of %d; ", c, m.group,
            m.connection.attachment() instanceof Sender ? ", a sender" : "", got, want));
      }
      delivered += got;
      expected += want;
      missing += Math.max(0, want - got);
      duplicates += Math.max(0, got - want);
    }
    for (Member m : members) {
      m.connection.close();
    }
    double seconds = o.durationSeconds();
    String target = o.urls().stream().map(URI::toString).collect(Collectors.joining(","));
    return new LoadReport(target, o.connections(), o.groupSize(), o.senders(), o.rate(),
        o.window(), o.bodyBytes(), o.durationSeconds(), setupSeconds, sent, acked, delivered,
        expected, sent - acked, missing, duplicates, errors.sum(), disconnects.sum(),
        sentInWindow.sum() / seconds, deliveries.getTotalCount() / seconds, Percentiles.of(acks),
        Percentiles.of(deliveries), Percentiles.of(remoteDeliveries), rss,
        serverCpu < 0 ? -1 : serverCpu - serverCpu0, clientCpu,
        detail.toString());
  }

  private void writeTimeline() {
    if (timeline != null) {
      try {
        timeline.write(o.timeline());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the timeline " + o.timeline(), e);
      }
    }
  }

  /** Waits until every sent message is answered and delivered, or the drain time is up. */
  private void drain() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainSeconds());
    while (System.nanoTime() < deadline) {
      long sent = 0;
      long answered = 0;
      long[] sentPerGroup = new long[o.groups()];
      for (Sender s : senders) {
        sent += s.sent;
        answered += s.acked + s.failed;
        sentPerGroup[s.group] += s.sent;
      }
      boolean done = sent == answered;
      for (int i = 0; done && i < members.length; i++) {
        done = members[i].received >= sentPerGroup[members[i].group];
      }
      if (done) {
        return;
      }
      sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Frames from the server, on each connection's event loop. */
  private final class Listener implements FrameHandler {
    @Override
    public void onFrame(WsConnection connection, ByteBuf utf8) {
      byte type = WsTransport.typeOf(utf8);
      if (type == 'm') {
        int at = lastValueOf(utf8, CLIENT_ID_FIELD); // after the body: found from the end
        long intended = intendedAt(utf8, at);
        Member m = members[connection.index()];
        m.received++;
        if (intended != Long.MIN_VALUE && inWindow(intended)) {
          long latency = Math.max(0, System.nanoTime() - intended);
          deliveryLatency.recordValue(latency);
          LatencyTimeline t = timeline;
          if (t != null) {
            t.record(intended, latency);
          }
          int sender = senderAt(utf8, at);
          if (sender >= 0 && sender < senderNode.length && senderNode[sender] != m.node) {
            remoteDeliveryLatency.recordValue(latency);
          }
        }
      } else if (type == 'a' || type == 'e') {
        if (type == 'e') {
          errors.increment();
        }
        long intended = intendedAt(utf8, valueOf(utf8, ID_FIELD));
        if (intended != Long.MIN_VALUE && connection.attachment() instanceof Sender s) {
          s.answered(intended, type == 'a');
        }
      }
    }

    @Override
    public void onClose(WsConnection connection, int closeCode) {
      disconnects.increment();
    }
  }

  /** Where the value of {@code field} starts in the frame, or -1 when it has none. */
  private static int valueOf(ByteBuf utf8, byte[] field) {
    int at = indexOf(utf8, field);
    return at < 0 ? -1 : at + field.length;
  }

  /**
   * The sender's index: the second number of a value {@code "nanosSinceBase.sender.number"}, or
   * -1.
   */
  private static int senderAt(ByteBuf utf8, int at) {
    if (at < 0) {
      return -1;
    }
    int i = at;
    int end = utf8.writerIndex();
    while (i < end && utf8.getByte(i) != '.') {
      i++;
    }
    int start = ++i;
    int v = 0;
    for (; i < end; i++) {
      byte c = utf8.getByte(i);
      if (c == '.') {
        return i > start ? v : -1;
      }
      if (c < '0' || c > '9' || v > 100_000_000) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return -1;
  }

  /**
   * The intended send time (absolute nanoTime) in a value {@code "nanosSinceBase.sender.number"}
   * starting at {@code at}, or Long.MIN_VALUE when there is none.
   */
  private long intendedAt(ByteBuf utf8, int at) {
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int end = utf8.writerIndex();
    long v = 0;
    boolean any = false;
    for (int i = at; i < end; i++) {
      byte c = utf8.getByte(i);
      if (c == '.') {
        return any ? base + v : Long.MIN_VALUE;
      }
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
      any = true;
    }
    return Long.MIN_VALUE;
  }

  /**
   * A message's frame id and clientId: the intended send time first, in a fixed width, then the
   * sender and its count. Time first, as the web client and the SDK make clientIds
   * ({@code newClientId()}), so that later ids sort later and the server's clientId index grows
   * at its end, as it does for those clients.
   */
  static String messageId(long nanosSinceBase, int sender, long count) {
    String nanos = Long.toString(nanosSinceBase);
    return "0".repeat(Math.max(0, 15 - nanos.length())) + nanos + "." + sender + "." + count;
  }

  /**
   * Where the value of the last {@code field} starts, or -1. A message's clientId follows its
   * body, so from the end there are a few dozen bytes to scan instead of the whole body (a quote
   * inside a JSON string is escaped, so the body cannot hold the field's name in this form).
   */
  private static int lastValueOf(ByteBuf utf8, byte[] field) {
    for (int i = utf8.writerIndex() - field.length; i >= utf8.readerIndex(); i--) {
      if (matches(utf8, i, field)) {
        return i + field.length;
      }
    }
    return -1;
  }

  private static int indexOf(ByteBuf buf, byte[] needle) {
    int end = buf.writerIndex() - needle.length;
    for (int i = buf.readerIndex(); i <= end; i++) {
      if (matches(buf, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean matches(ByteBuf buf, int at, byte[] needle) {
    for (int j = 0; j < needle.length; j++) {
      if (buf.getByte(at + j) != needle[j]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
