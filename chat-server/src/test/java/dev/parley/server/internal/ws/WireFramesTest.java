package dev.parley.server.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames made by {@link WireFrames} are byte for byte what Netty's server encoder writes. */
class WireFramesTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 300_000})
  void framesAreWhatNettysEncoderWrites(int size) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) 'x');

    assertThat(WireFrames.frame(payload)).isEqualTo(nettyFrame(payload));
  }

  @Test
  void theSamePayloadIsFramedOnceAndAnotherAgain() {
    byte[] a = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
    byte[] b = a.clone();
    byte[] first = WireFrames.text(a);

    assertThat(WireFrames.text(a)).isSameAs(first);
    assertThat(WireFrames.text(b)).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void nettysEncoderLetsAFramedMessagePassUnchanged() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    byte[] frame = WireFrames.frame("hi".getBytes(StandardCharsets.UTF_8));
    ch.writeOutbound(Unpooled.wrappedBuffer(frame));
    ByteBuf out = ch.readOutbound();
    try {
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(frame);
    } finally {
      out.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void thePingIsNettysEmptyPingAndOutlivesEveryWrite() {
    byte[] netty = encoded(new PingWebSocketFrame());
    for (int i = 0; i < 3; i++) { // each write consumes and releases its duplicate, as a channel does
      ByteBuf ping = WireFrames.ping();
      assertThat(ByteBufUtil.getBytes(ping)).isEqualTo(netty);
      ping.skipBytes(ping.readableBytes());
      assertThat(ping.release()).isFalse();
    }
    assertThat(WireFrames.ping().readableBytes()).isEqualTo(2);
  }

  private static byte[] nettyFrame(byte[] payload) {
    return encoded(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
  }

  private static byte[] encoded(WebSocketFrame frame) {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    ch.writeOutbound(frame);
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = ch.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    ch.finishAndReleaseAll();
    return ByteBufUtil.getBytes(all);
  }
}
