package dev.parley.server.internal.http;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.server.internal.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Writes REST answers with the right length, keep-alive handling and a count per status. */
public final class HttpResponses {
  /** Uploaded bytes never change under their URL; only this user's browser keeps them. */
  private static final String USER_CONTENT_CACHE = "private, max-age=31536000, immutable";
  private final ServerMetrics metrics;

  public HttpResponses(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Writes the response; closes the connection after it unless keep-alive. Any thread; a
   * streamed body only on the channel's event loop. The future is done once the whole answer is
   * written.
   */
  public ChannelFuture write(Channel channel, RestResponse response, boolean keepAlive) {
    if (response.file() != null || response.stream() != null) {
      return writeFile(channel, response, keepAlive);
    }
    return write(channel, full(response, keepAlive), keepAlive);
  }

  /**
   * Writes a small answer with {@code Connection: close} but leaves the connection open: the
   * caller closes it once the client has finished sending (see the request aggregator).
   */
  public ChannelFuture writeBeforeClose(Channel channel, RestResponse response) {
    return write(channel, full(response, false), true);
  }

  private static FullHttpResponse full(RestResponse response, boolean keepAlive) {
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
        Unpooled.wrappedBuffer(response.body()));
    if (response.contentType() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    http.headers().set("X-Content-Type-Options", "nosniff");
    if (response.disposition() != null) {
      // bytes derived from an upload, cached like a download
      http.headers().set(HttpHeaderNames.CACHE_CONTROL, USER_CONTENT_CACHE);
      http.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, response.disposition());
      SecurityHeaders.userContent(http.headers());
    } else {
      http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    }
    if (response.contentRange() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_RANGE, response.contentRange());
      http.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
      SecurityHeaders.userContent(http.headers());
    }
    if (!keepAlive) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return http;
  }

  private ChannelFuture writeFile(Channel channel, RestResponse response, boolean keepAlive) {
    HttpResponse http = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
    http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.fileLength());
    http.headers().set(HttpHeaderNames.CACHE_CONTROL, USER_CONTENT_CACHE);
    http.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    if (response.contentRange() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_RANGE, response.contentRange());
    }
    // user content: never run as a page of this origin
    SecurityHeaders.userContent(http.headers());
    if (response.disposition() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, response.disposition());
    }
    if (!keepAlive) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    metrics.httpRequest(response.status().code());
    channel.write(http);
    ChannelFuture f;
    if (response.stream() != null) {
      f = StreamedBodyWriter.start(channel, response.stream());
    } else {
      channel.write(new DefaultFileRegion(response.file().toFile(), response.fileOffset(),
          response.fileLength()));
      f = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    return f;
  }

  /** Writes a prepared response (static files); closes after it unless keep-alive. */
  public ChannelFuture write(Channel channel, FullHttpResponse http, boolean keepAlive) {
    metrics.httpRequest(http.status().code());
    ChannelFuture f = channel.writeAndFlush(http);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    return f;
  }

  /** Writes the contract's error body for a code. */
  public ChannelFuture error(Channel channel, ErrorCode code, String message, boolean keepAlive) {
    return write(channel, RestResponse.error(new ChatException(code, message)), keepAlive);
  }

  /** A 405: the contract files it under {@code bad_request}. */
  public ChannelFuture methodNotAllowed(Channel channel, boolean keepAlive) {
    RestResponse body = RestResponse.error(ChatException.badRequest("method not allowed"));
    return write(channel, new RestResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, body.body(),
        body.contentType()), keepAlive);
  }
}
