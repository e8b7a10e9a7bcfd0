package dev.parley.server.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 413 for a body over the limit, and when the connection closes after it. */
class JsonHttpObjectAggregatorTest {
  private static final int LIMIT = 1024;

  private final EmbeddedChannel channel = new EmbeddedChannel(
      new JsonHttpObjectAggregator(LIMIT, new HttpResponses(new ServerMetrics(() -> 0))));

  @Test
  void aBodyOverTheLimitIsAnsweredAtOnceAndReadToItsEndBeforeTheConnectionCloses() {
    channel.writeInbound(upload(3 * LIMIT, false));
    FullHttpResponse answer = channel.readOutbound();
    try {
      assertThat(answer.status().code()).isEqualTo(413);
      assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
      assertThat(answer.content().toString(StandardCharsets.UTF_8)).contains("\"too_large\"");
    } finally {
      answer.release();
    }
    // the client is still sending: closing now would reset the connection and lose the answer
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT])));
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT])));
    assertThat(channel.isOpen()).isTrue();
    assertThat((Object) channel.readInbound()).isNull();

    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT])));
    assertThat(channel.isOpen()).isFalse();
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void aBodyTooLargeToWaitForIsCutOffAfterTheAnswer() {
    channel.writeInbound(upload(JsonHttpObjectAggregator.DRAIN_LIMIT + 1, false));
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status().code()).isEqualTo(413);
    answer.release();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aClientWaitingForContinueGetsThe413InsteadAndTheConnectionCloses() {
    channel.writeInbound(upload(3 * LIMIT, true));
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status().code()).isEqualTo(413);
    answer.release();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitIsDrainedToo() {
    HttpRequest start = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/x");
    start.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    channel.writeInbound(start);
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT])));
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[LIMIT])));
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status().code()).isEqualTo(413);
    answer.release();
    assertThat(channel.isOpen()).isTrue();
    channel.writeInbound(new DefaultLastHttpContent());
    assertThat(channel.isOpen()).isFalse();
  }

  private static HttpRequest upload(long length, boolean expectContinue) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/users/me/avatar");
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    if (expectContinue) {
      r.headers().set(HttpHeaderNames.EXPECT, "100-continue");
    }
    return r;
  }
}
