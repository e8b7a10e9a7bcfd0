package dev.parley.client.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * One open WebSocket connection of a {@link WsTransport}, ready (its {@code hello} arrived).
 * {@link #sendText} may be called from any thread; the fields set by the owner
 * ({@link #attach}) are for its event loop.
 */
public final class WsConnection {
  private final int index;
  private final Channel channel;
  private final String hello;
  private Object attachment;
  private volatile boolean closing;

  WsConnection(int index, Channel channel, String hello) {
    this.index = index;
    this.channel = channel;
    this.hello = hello;
  }

  /** The number the caller gave {@link WsTransport#connect}. */
  public int index() {
    return index;
  }

  /** The server's {@code hello} frame, as text. */
  public String hello() {
    return hello;
  }

  public Channel channel() {
    return channel;
  }

  /** The event loop every callback of this connection runs on. */
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  public boolean isActive() {
    return channel.isActive();
  }

  /** The owner's per-connection state. */
  public Object attachment() {
    return attachment;
  }

  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  /** Writes and flushes one text frame; drops it silently when the connection is gone. */
  public void sendText(CharSequence text) {
    ByteBuf buf = ByteBufUtil.writeUtf8(channel.alloc(), text);
    sendText(buf);
  }

  /** Writes and flushes one text frame of UTF-8 bytes; takes ownership of {@code utf8}. */
  public void sendText(ByteBuf utf8) {
    channel.writeAndFlush(new TextWebSocketFrame(utf8), channel.voidPromise());
  }

  /** Closes the connection; {@link FrameHandler#onClose} is not called for it. */
  public void close() {
    closing = true;
    channel.close();
  }

  boolean closing() {
    return closing;
  }
}
