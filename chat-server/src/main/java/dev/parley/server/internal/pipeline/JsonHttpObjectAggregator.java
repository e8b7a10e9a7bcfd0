package dev.parley.server.internal.pipeline;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.RestResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Aggregates requests up to a limit and answers a larger one with the contract's 413 body, also
 * when the client announced it with {@code Expect: 100-continue} (as curl does for bodies over
 * 1 KiB): Netty's own answer there would be a bare 413 without the error body.
 *
 * <p>A client that did not wait for {@code 100 Continue} is still sending its body when the 413
 * is written. Closing at once would reset the connection with unread bytes in the socket, and the
 * client would often lose the answer; so the rest of the body (up to {@link #DRAIN_LIMIT}) is
 * read and dropped, and the connection closes when it ends. A larger body is not waited for.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  /** How many bytes of an oversized body are read and dropped before the connection is cut. */
  static final long DRAIN_LIMIT = 8L << 20;
  private final HttpResponses responses;
  /** The 413 written while the body still arrives; null when not draining. */
  private ChannelFuture drainingAfter;
  private long drained;
  /** Whether the object being decoded ends its request (then nothing is left to drain). */
  private boolean lastOfBody;

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
    boolean bodyFollows = !lastOfBody && !HttpUtil.is100ContinueExpected(oversized)
        && HttpUtil.getContentLength(oversized, -1L) <= DRAIN_LIMIT;
    RestResponse answer = RestResponse.error(new ChatException(ErrorCode.TOO_LARGE,
        "request body is over the limit of " + maxContentLength() + " bytes"));
    if (bodyFollows) {
      drained = 0;
      drainingAfter = responses.writeBeforeClose(ctx.channel(), answer);
    } else {
      responses.write(ctx.channel(), answer, false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
    if (drainingAfter != null && msg instanceof HttpContent content) {
      drained += content.content().readableBytes();
      if (msg instanceof LastHttpContent || drained > DRAIN_LIMIT) {
        drainingAfter.addListener(ChannelFutureListener.CLOSE);
        drainingAfter = null;
      }
      return; // dropped; the decoder releases it
    }
    lastOfBody = msg instanceof LastHttpContent;
    super.decode(ctx, msg, out);
  }
}
