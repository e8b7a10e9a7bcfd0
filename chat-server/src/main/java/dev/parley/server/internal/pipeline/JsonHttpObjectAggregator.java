package dev.parley.server.internal.pipeline;

import dev.parley.protocol.ErrorCode;
import dev.parley.server.internal.http.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.buffer.Unpooled;
import dev.parley.protocol.Json;

/**
 * Aggregates requests up to a limit and answers a larger one with the contract's 413 body, also
 * when the client announced it with {@code Expect: 100-continue} (as curl does for bodies over
 * 1 KiB): Netty's own answer there would be a bare 413 without the error body.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final HttpResponses responses;

  JsonHttpObjectAggregator(int maxContentLength, HttpResponses responses) {
    super(maxContentLength);
    this.responses = responses;
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
      return null; // no 100 Continue; the content length is checked next and handleOversizedMessage answers
    }
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.EXPECTATION_FAILED)) {
      r.release(); // Netty's bare 417: a contract 400 with the error body instead
      byte[] body = Json.errorBody(ErrorCode.BAD_REQUEST, "unsupported Expect header");
      FullHttpResponse refused = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
      refused.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      refused.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      return refused;
    }
    return answer;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    responses.error(ctx.channel(), ErrorCode.TOO_LARGE,
        "request body is over the limit of " + maxContentLength() + " bytes", false);
  }
}
