package dev.parley.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.frame.ClientFrame;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.frame.HelloFrame;
import dev.parley.protocol.frame.MessageAckFrame;
import dev.parley.protocol.frame.MessageFrame;
import dev.parley.protocol.frame.PingFrame;
import dev.parley.protocol.frame.PongFrame;
import dev.parley.protocol.frame.SendFrame;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * The baseline for chat-bench: a bare Netty broadcast server with no authentication, no storage
 * and no engine. It speaks just enough of Parley's protocol for chat-bench to drive it unchanged:
 * register and login (the token is the user name), group creation, the {@code /ws} upgrade with
 * {@code hello}, and {@code send} answered with an {@code ack} to the sender and the
 * {@code message} relayed to every connection of the room. It uses Parley's own
 * {@link FrameCodec}, so what separates it from the real server is everything but JSON and
 * sockets: tokens, the store and its group commit, the registry, ordering and flow control.
 *
 * <p>By default every frame is written and flushed on its own (one system call per frame, and
 * a wake-up of the recipient's event loop per frame), as a first Netty server would. With
 * {@code --batch-flush} frames are written as they come and each connection written to is
 * flushed once when the read that caused them completes: a stronger baseline, closer to how the
 * real server hands a commit's frames to the loops in bulk.
 *
 * <pre>java -cp benchmarks/target/chat-bench.jar dev.parley.bench.baseline.BareNettyServer [port] [--batch-flush]</pre>
 */
public final class BareNettyServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final DurableBroadcast durable;

  private BareNettyServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
                          DurableBroadcast durable) {
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = serverChannel;
    this.durable = durable;
  }

  /** Starts a server on {@code port} (0 picks one) that flushes every frame. */
  public static BareNettyServer start(int port) {
    return start(port, false);
  }

  /** Starts a server on {@code port} (0 picks one); see the class comment for {@code batchFlush}. */
  public static BareNettyServer start(int port, boolean batchFlush) {
    return start(port, batchFlush, null);
  }

  /**
   * Starts a server on {@code port} (0 picks one) that acks and relays a send only once it is
   * appended to {@code log} and synced; see {@link DurableBroadcast}.
   */
  public static BareNettyServer startDurable(int port, Path log) {
    return start(port, false, log);
  }

  private static BareNettyServer start(int port, boolean batchFlush, Path durableLog) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, io);
    State state = new State(batchFlush);
    if (durableLog != null) {
      state.durable = new DurableBroadcast(durableLog, state.codec, state.ids);
    }
    Channel ch = new ServerBootstrap().group(boss, workers)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new HttpHandler(state));
          }
        })
        .bind(port).syncUninterruptibly().channel();
    return new BareNettyServer(boss, workers, ch, state.durable);
  }

  public int port() {
    return ((java.net.InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (durable != null) {
      durable.close();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
    boolean batchFlush = args.length > 1 && args[1].equals("--batch-flush");
    Path durableLog = args.length > 2 && args[1].equals("--durable") ? Path.of(args[2]) : null;
    if (args.length > 1 && !batchFlush && durableLog == null) {
      System.err.println("usage: BareNettyServer [port] [--batch-flush | --durable FILE]");
      System.exit(2);
    }
    BareNettyServer server = start(port, batchFlush, durableLog);
    System.out.println("bare Netty broadcast server on port " + server.port()
        + (durableLog != null ? ", acking after an fdatasync of " + durableLog
            : batchFlush ? ", flushing once per read" : ", flushing every frame"));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (server.durable != null) {
        LoggerFactory.getLogger(BareNettyServer.class).info("log: {}", server.durable.summary());
      }
      stop.countDown();
    }));
    stop.await();
  }

  /** Rooms and who is in them. */
  private static final class State {
    final boolean batchFlush;
    final FrameCodec codec = new FrameCodec();
    final ObjectMapper json = new ObjectMapper();
    final Map<String, Room> rooms = new ConcurrentHashMap<>();
    final Map<String, List<Room>> roomsOf = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong();
    /** With {@code --durable}: where sends wait for their commit. */
    DurableBroadcast durable;

    State(boolean batchFlush) {
      this.batchFlush = batchFlush;
    }
  }

  record Room(String id, AtomicLong seq, List<Channel> channels) {
  }

  /** REST and the upgrade; replaced by a {@link WsHandler} once the upgrade is done. */
  private static final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final State state;

    HttpHandler(State state) {
      this.state = state;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
      QueryStringDecoder uri = new QueryStringDecoder(req.uri());
      String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      String user = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
      switch (uri.path()) {
        case "/ws":
          upgrade(ctx, req, user != null ? user : first(uri, "token"));
          return;
        case "/api/auth/register": {
          String name = body(req).get("username").asText();
          ObjectNode out = state.json.createObjectNode().put("id", name).put("username", name)
              .put("displayName", name);
          respond(ctx, req, HttpResponseStatus.CREATED, out);
          return;
        }
        case "/api/auth/login": {
          String name = body(req).get("username").asText();
          respond(ctx, req, HttpResponseStatus.OK, state.json.createObjectNode()
              .put("access", name).put("refresh", name).put("expiresIn", 900));
          return;
        }
        case "/api/threads": {
          JsonNode in = body(req);
          Room room = new Room("r" + state.ids.incrementAndGet(), new AtomicLong(),
              new CopyOnWriteArrayList<>());
          state.rooms.put(room.id(), room);
          ObjectNode out = state.json.createObjectNode().put("id", room.id()).put("kind", "group");
          join(user, room, out);
          for (JsonNode m : in.path("members")) {
            join(m.asText(), room, out);
          }
          respond(ctx, req, HttpResponseStatus.CREATED, out.put("lastSeq", 0));
          return;
        }
        default:
          respond(ctx, req, HttpResponseStatus.NOT_FOUND, state.json.createObjectNode());
      }
    }

    private void join(String user, Room room, ObjectNode out) {
      state.roomsOf.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(room);
      out.withArray("members").addObject().put("id", user);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String user) {
      WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
          "ws://" + req.headers().get(HttpHeaderNames.HOST) + "/ws", null, false, 1 << 16)
          .newHandshaker(req);
      if (hs == null || user == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      List<Room> rooms = state.roomsOf.getOrDefault(user, List.of());
      ctx.pipeline().replace(this, "ws", new WsHandler(state, hs, user, rooms));
      hs.handshake(ctx.channel(), req).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          f.channel().close();
          return;
        }
        Channel ch = f.channel();
        // into the rooms before the hello: a client that sends once every connection has said
        // hello must not find one missing from its room. Other loops' writes to ch are queued
        // behind this listener, which runs on ch's loop, so the hello still goes out first.
        for (Room r : rooms) {
          r.channels().add(ch);
        }
        ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(state.codec.encode(
            new HelloFrame(new User(user, user, user), "bare", 25,
                System.currentTimeMillis() + 3_600_000)))));
        ch.closeFuture().addListener(c -> rooms.forEach(r -> r.channels().remove(ch)));
      });
    }

    private JsonNode body(FullHttpRequest req) throws java.io.IOException {
      return state.json.readTree(ByteBufUtil.getBytes(req.content()));
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                         JsonNode body) throws java.io.IOException {
      FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status,
          Unpooled.wrappedBuffer(state.json.writeValueAsBytes(body)));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      HttpUtil.setContentLength(res, res.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(res, keepAlive);
      var f = ctx.writeAndFlush(res);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private static String first(QueryStringDecoder uri, String name) {
      List<String> v = uri.parameters().get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /** One WebSocket: send -> ack + relay to the room, ping -> pong. */
  private static final class WsHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final State state;
    private final WebSocketServerHandshaker handshaker;
    private final String user;
    private final Map<String, Room> mine = new ConcurrentHashMap<>();
    /** With batchFlush: the other connections written to since the last read completed. */
    private final Set<Channel> unflushed = new LinkedHashSet<>();

    WsHandler(State state, WebSocketServerHandshaker handshaker, String user, List<Room> rooms) {
      this.state = state;
      this.handshaker = handshaker;
      this.user = user;
      rooms.forEach(r -> mine.put(r.id(), r));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        ClientFrame in = state.codec.decode(ByteBufUtil.getBytes(text.content()));
        if (in instanceof SendFrame send) {
          relay(ctx, send);
        } else if (in instanceof PingFrame ping) {
          ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(
              state.codec.encode(new PongFrame(ping.id())))));
        }
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame) {
        handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
      }
    }

    private void relay(ChannelHandlerContext ctx, SendFrame send) {
      Room room = mine.get(send.thread());
      if (room == null) {
        return;
      }
      if (state.durable != null) {
        state.durable.submit(new DurableBroadcast.Send(ctx.channel(), room, user, send));
        return;
      }
      long seq = room.seq().incrementAndGet();
      long ts = System.currentTimeMillis();
      String messageId = "m" + state.ids.incrementAndGet();
      TextWebSocketFrame ack = new TextWebSocketFrame(Unpooled.wrappedBuffer(state.codec.encode(
          new MessageAckFrame(send.id(), send.thread(), seq, messageId, ts))));
      byte[] encoded = state.codec.encode(new MessageFrame(new Message(messageId, send.thread(), seq,
          user, send.body(), ts, send.clientId(), List.of())));
      if (!state.batchFlush) {
        ctx.writeAndFlush(ack);
        for (Channel ch : room.channels()) {
          ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(encoded)), ch.voidPromise());
        }
        return;
      }
      ctx.write(ack, ctx.voidPromise());
      for (Channel ch : room.channels()) {
        ch.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(encoded)), ch.voidPromise());
        if (ch != ctx.channel()) {
          unflushed.add(ch);
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      for (Channel ch : unflushed) {
        ch.flush();
      }
      unflushed.clear();
      ctx.flush();
      ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
