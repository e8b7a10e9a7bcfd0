package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import dev.parley.server.http.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

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
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    responses.error(ctx.channel(), ErrorCode.TOO_LARGE,
        "request body is over the limit of " + maxContentLength() + " bytes", false);
  }
}
