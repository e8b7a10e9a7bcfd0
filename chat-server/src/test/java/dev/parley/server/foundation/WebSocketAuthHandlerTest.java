package dev.parley.server.foundation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.metrics.ServerMetrics;
import dev.parley.server.internal.ws.WebSocketAuthHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The upgrade's token check on an {@link EmbeddedChannel}: paths it must leave alone, and a 401. */
class WebSocketAuthHandlerTest {
  private final ServerMetrics metrics = new ServerMetrics(() -> 0);

  /** No engine: neither path tested here may reach the authenticator. */
  private EmbeddedChannel channel() {
    return new EmbeddedChannel(new WebSocketAuthHandler("/ws", null, new HttpResponses(metrics)));
  }

  private static FullHttpRequest upgrade(String uri) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    r.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
    r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
    return r;
  }

  @Test
  void passesOtherPathsThroughUntouched() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/api/auth/login?token=abc", Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
    request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer whatever");
    assertThat(ch.writeInbound(request)).isTrue();
    FullHttpRequest passed = ch.readInbound();
    try {
      assertThat(passed).isSameAs(request);
      assertThat(passed.uri()).isEqualTo("/api/auth/login?token=abc");
      assertThat(passed.refCnt()).isEqualTo(1);
      assertThat(passed.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
    } finally {
      passed.release();
    }
    assertThat((Object) ch.readOutbound()).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void passesAnUpgradeOfAnotherPathThrough() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = upgrade("/wsx");
    ch.writeInbound(request);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void passesNonHttpMessagesThrough() {
    EmbeddedChannel ch = channel();
    ch.writeInbound("not a request");
    assertThat((Object) ch.readInbound()).isEqualTo("not a request");
    assertFalse(ch.finish());
  }

  @Test
  void answers401WithoutAToken() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = upgrade("/ws");
    assertThat(ch.writeInbound(request)).isFalse();
    assertThat(request.refCnt()).isZero();
    FullHttpResponse response = ch.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(401);
      assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .startsWith("{\"error\":{\"code\":\"unauthorized\",\"message\":");
      assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    } finally {
      response.release();
    }
    assertThat(ch.isOpen()).isFalse();
    assertThat(metrics.scrape()).asString(StandardCharsets.UTF_8).contains("chat_http_requests_total{status=\"401\"} 1");
    assertFalse(ch.finish());
  }

  @Test
  void answers401ForAnEmptyTokenInTheQuery() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(upgrade("/ws?token="));
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(401);
    response.release();
    assertFalse(ch.finish());
  }

  @Test
  void answers405ToANonGetOfTheWebSocketPath() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/ws?token=abc");
    ch.writeInbound(request);
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(405);
    assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"code\":\"bad_request\"");
    response.release();
    assertThat(request.refCnt()).isZero();
    assertFalse(ch.finish());
  }

  @Test
  void answers400ToAnUpgradeWithoutAKeyEvenWithAToken() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = upgrade("/ws?token=abc");
    request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    ch.writeInbound(request);
    FullHttpResponse response = ch.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(400);
      assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"code\":\"bad_request\"");
    } finally {
      response.release();
    }
    assertThat(request.refCnt()).isZero();
    assertFalse(ch.finish());
  }

  @Test
  void answers400ToAnUnsupportedVersion() {
    EmbeddedChannel ch = channel();
    FullHttpRequest request = upgrade("/ws?token=abc");
    request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "99");
    ch.writeInbound(request);
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(400);
    response.release();
    assertFalse(ch.finish());
  }
}
