package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import dev.parley.server.http.HttpResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Aggregates requests up to a limit and answers a larger one with the contract's 413 body. */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final HttpResponses responses;

  JsonHttpObjectAggregator(int maxContentLength, HttpResponses responses) {
    super(maxContentLength);
    this.responses = responses;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    responses.error(ctx.channel(), ErrorCode.TOO_LARGE,
        "request body is over the limit of " + maxContentLength() + " bytes", false);
  }
}
