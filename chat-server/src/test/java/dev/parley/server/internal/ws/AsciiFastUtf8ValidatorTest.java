package dev.parley.server.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fast path lets ASCII through; everything else still meets Netty's UTF-8 validator, which
 * answers invalid UTF-8 with a 1007 close and rethrows (the pipeline's exception handling logs it).
 */
class AsciiFastUtf8ValidatorTest {
  private final EmbeddedChannel ch = new EmbeddedChannel(new AsciiFastUtf8Validator());

  @Test
  void asciiAndValidUtf8PassAsTheyAre() {
    for (String text : new String[] {"", "{\"type\":\"send\",\"body\":\"hello\"}", "caf\u00e9 \u2013 \ud83d\ude00"}) {
      TextWebSocketFrame frame = new TextWebSocketFrame(text);
      ch.writeInbound(frame);
      TextWebSocketFrame out = ch.readInbound();
      assertThat(out).isSameAs(frame);
      assertThat(out.text()).isEqualTo(text);
      out.release();
    }
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void invalidUtf8ClosesWith1007() {
    // an overlong encoding of '/', then a UTF-16 surrogate encoded as UTF-8: both invalid
    for (byte[] bad : new byte[][] {{'a', (byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
      EmbeddedChannel c = new EmbeddedChannel(new AsciiFastUtf8Validator());
      assertThatThrownBy(() -> c.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(bad))))
          .isInstanceOf(CorruptedWebSocketFrameException.class);
      assertClosedWith1007(c);
    }
  }

  @Test
  void fragmentsAreCheckedAcrossTheirBoundaries() {
    byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8); // three bytes, split over two fragments
    ch.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', euro[0]})));
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {euro[1], euro[2]})));
    assertThat(ch.inboundMessages()).hasSize(2);
    ch.releaseInbound();
    assertThat(ch.isActive()).isTrue();

    // an ASCII first fragment, then a continuation that breaks UTF-8
    ch.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', 'b'})));
    assertThatThrownBy(() -> ch.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF}))))
        .isInstanceOf(CorruptedWebSocketFrameException.class);
    assertClosedWith1007(ch);
  }

  @Test
  void isAsciiLooksAtEveryReadableByte() {
    for (int length = 0; length <= 20; length++) {
      byte[] bytes = new byte[length + 3];
      java.util.Arrays.fill(bytes, (byte) 'x');
      bytes[0] = (byte) 0xFF; // before the reader index: not looked at
      ByteBuf buf = Unpooled.wrappedBuffer(bytes, 0, length + 2).readerIndex(1);
      buf.writerIndex(1 + length);
      assertThat(AsciiFastUtf8Validator.isAscii(buf)).isTrue();
      for (int at = 1; at <= length; at++) {
        bytes[at] = (byte) 0x80;
        assertThat(AsciiFastUtf8Validator.isAscii(buf)).as("high bit at %d of %d", at, length).isFalse();
        bytes[at] = 'x';
      }
      bytes[length + 1] = (byte) 0x80; // after the writer index: not looked at
      assertThat(AsciiFastUtf8Validator.isAscii(buf)).isTrue();
    }
  }

  private static void assertClosedWith1007(EmbeddedChannel c) {
    Object out;
    CloseWebSocketFrame close = null;
    while ((out = c.readOutbound()) != null) {
      if (out instanceof CloseWebSocketFrame f) {
        close = f;
      } else {
        ((WebSocketFrame) out).release();
      }
    }
    assertThat(close).as("a close frame").isNotNull();
    assertThat(close.statusCode()).isEqualTo(1007);
    close.release();
    c.runPendingTasks();
    assertThat(c.isActive()).isFalse();
    c.releaseInbound();
  }
}
