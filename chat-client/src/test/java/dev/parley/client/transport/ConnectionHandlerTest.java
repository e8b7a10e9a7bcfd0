package dev.parley.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectionHandlerTest {
  private final List<String> frames = new ArrayList<>();
  private final List<Integer> closes = new ArrayList<>();
  private final FrameHandler recorder = new FrameHandler() {
    @Override
    public void onFrame(WsConnection connection, ByteBuf utf8) {
      frames.add(utf8.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onClose(WsConnection connection, int closeCode) {
      closes.add(closeCode);
    }
  };

  @Test
  void readyOnHelloThenPassesFramesOnAndReleasesThem() {
    CompletableFuture<WsConnection> ready = new CompletableFuture<>();
    EmbeddedChannel ch = new EmbeddedChannel(new ConnectionHandler(7, ready, recorder));

    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"hello\",\"expiresAt\":1}"));
    TextWebSocketFrame message = new TextWebSocketFrame("{\"type\":\"message\",\"seq\":1}");
    ch.writeInbound(message);

    assertThat(ready).isCompleted();
    WsConnection c = ready.join();
    assertThat(c.index()).isEqualTo(7);
    assertThat(c.hello()).contains("expiresAt");
    assertThat(frames).containsExactly("{\"type\":\"message\",\"seq\":1}");
    assertThat(message.refCnt()).isZero();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void anythingButHelloFirstFailsTheConnect() {
    CompletableFuture<WsConnection> ready = new CompletableFuture<>();
    EmbeddedChannel ch = new EmbeddedChannel(new ConnectionHandler(0, ready, recorder));

    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"error\"}"));

    assertThat(ready).isCompletedExceptionally();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aServerCloseIsAnsweredAndReportedWithItsCode() {
    CompletableFuture<WsConnection> ready = new CompletableFuture<>();
    EmbeddedChannel ch = new EmbeddedChannel(new ConnectionHandler(0, ready, recorder));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"hello\"}"));

    ch.writeInbound(new CloseWebSocketFrame(4401, "expired"));

    CloseWebSocketFrame answer = ch.readOutbound();
    assertThat(answer.statusCode()).isEqualTo(4401);
    ReferenceCountUtil.release(answer);
    assertThat(ch.isOpen()).isFalse();
    assertThat(closes).containsExactly(4401);
  }

  @Test
  void aDropIsReportedAsMinusOneButOurOwnCloseIsNot() {
    CompletableFuture<WsConnection> first = new CompletableFuture<>();
    EmbeddedChannel dropped = new EmbeddedChannel(new ConnectionHandler(0, first, recorder));
    dropped.writeInbound(new TextWebSocketFrame("{\"type\":\"hello\"}"));
    dropped.close();

    CompletableFuture<WsConnection> second = new CompletableFuture<>();
    EmbeddedChannel ours = new EmbeddedChannel(new ConnectionHandler(1, second, recorder));
    ours.writeInbound(new TextWebSocketFrame("{\"type\":\"hello\"}"));
    second.join().close();

    assertThat(closes).containsExactly(-1);
  }

  @Test
  void typeOfReadsTheFirstLetterOfTheType() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ByteBuf ack = io.netty.buffer.Unpooled.copiedBuffer("{\"type\":\"ack\",\"id\":\"1\"}", StandardCharsets.UTF_8);
    ByteBuf other = io.netty.buffer.Unpooled.copiedBuffer("{\"id\":1}", StandardCharsets.UTF_8);

    assertThat(WsTransport.typeOf(ack)).isEqualTo((byte) 'a');
    assertThat(WsTransport.typeOf(other)).isZero();
    ack.release();
    other.release();
    ch.finish();
  }
}
