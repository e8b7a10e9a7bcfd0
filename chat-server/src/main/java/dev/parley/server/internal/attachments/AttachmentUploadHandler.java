package dev.parley.server.internal.attachments;

import dev.parley.core.ChatEngine;
import dev.parley.core.attachments.AttachmentService;
import dev.parley.core.auth.AuthenticatedUser;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.Attachment;
import dev.parley.server.internal.http.BearerTokens;
import dev.parley.server.internal.http.HttpResponses;
import dev.parley.server.internal.http.RestResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams {@code POST /api/attachments} to the blob store (disk, database or bucket) without
 * holding the file in memory: it sits before the request aggregator, authenticates on a worker,
 * and writes each chunk on a worker while reading is paused, asking for the next chunk only when
 * the last one is written. A body over the limit is read and dropped, then answered with 413.
 * One instance per connection.
 */
public final class AttachmentUploadHandler extends ChannelInboundHandlerAdapter {
  /** The upload route. */
  public static final String PATH = "/api/attachments";
  private static final Logger log = LoggerFactory.getLogger(AttachmentUploadHandler.class);
  private final ChatEngine engine;
  private final AttachmentService attachments;
  private final HttpResponses responses;
  private final Executor worker;
  private Upload upload;

  public AttachmentUploadHandler(ChatEngine engine, HttpResponses responses) {
    this.engine = engine;
    this.attachments = engine.attachments();
    this.responses = responses;
    this.worker = engine.worker();
  }

  /** One upload in progress. Fields are touched on the event loop, the file only by one worker task at a time. */
  private static final class Upload {
    final boolean keepAlive;
    final String contentType;
    final String filename;
    final ArrayDeque<HttpContent> queue = new ArrayDeque<>();
    AuthenticatedUser user;
    AttachmentService.Upload pending;
    long size;
    boolean writing;
    boolean finished;
    ChatException failure;

    Upload(boolean keepAlive, String contentType, String filename) {
      this.keepAlive = keepAlive;
      this.contentType = contentType;
      this.filename = filename;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (upload != null) {
      if (msg instanceof HttpContent content) {
        upload.queue.add(content);
        pump(ctx);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest) && isUpload(request)) {
      start(ctx, request);
      if (msg instanceof HttpContent content) {
        upload.queue.add(content.retain());
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean isUpload(HttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      return false;
    }
    try {
      return new QueryStringDecoder(request.uri()).path().equals(PATH);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    Upload u = new Upload(HttpUtil.isKeepAlive(request),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE),
        ContentDisposition.fromHeader(request.headers().get("X-Filename")));
    upload = u;
    ctx.channel().config().setAutoRead(false);
    long declared = HttpUtil.getContentLength(request, -1L);
    if (attachments == null) {
      u.failure = ChatException.notFound("attachments are not enabled");
    } else if (declared > attachments.limitBytes()) {
      u.failure = tooLarge();
      if (declared > 4 * attachments.limitBytes()) {
        // not worth reading just to drop it
        upload = null;
        ctx.channel().config().setAutoRead(true);
        respond(ctx, RestResponse.error(u.failure), false);
        return;
      }
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      if (u.failure != null) {
        respond(ctx, RestResponse.error(u.failure), false);
        upload = null;
        return;
      }
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (u.failure != null) {
      ctx.read();
      return;
    }
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    offload(ctx, () -> {
      AuthenticatedUser user;
      AttachmentService.Upload pending;
      try {
        user = BearerTokens.authenticate(engine.authenticator(), authorization);
        pending = attachments.begin();
      } catch (RuntimeException e) {
        ChatException wire = engine.wireErrors().toWire(e, "rest", "POST /api/attachments");
        ctx.executor().execute(() -> {
          u.failure = wire;
          pump(ctx);
        });
        return;
      }
      ctx.executor().execute(() -> {
        u.user = user;
        u.pending = pending;
        if (upload != u) {
          offload(ctx, () -> attachments.discard(pending)); // the connection went away meanwhile
          return;
        }
        pump(ctx);
      });
    });
  }

  /** Takes the next step: writes one queued chunk, drops it after a failure, or reads more. */
  private void pump(ChannelHandlerContext ctx) {
    Upload u = upload;
    if (u == null || u.writing || u.finished) {
      return;
    }
    if (u.failure != null) {
      drop(ctx, u);
      return;
    }
    if (u.pending == null) {
      return; // still authenticating: chunks wait in the queue
    }
    HttpContent chunk = u.queue.poll();
    if (chunk == null) {
      ctx.read();
      return;
    }
    u.writing = true;
    boolean last = chunk instanceof LastHttpContent;
    offload(ctx, () -> {
      ChatException failure = null;
      Attachment done = null;
      try {
        ByteBuf buf = chunk.content();
        long next = u.size + buf.readableBytes();
        if (next > attachments.limitBytes()) {
          failure = tooLarge();
        } else {
          for (ByteBuffer b : buf.nioBuffers()) {
            u.pending.writer().write(b);
          }
          u.size = next;
          if (last) {
            done = attachments.commit(u.user.id(), u.pending, u.size, u.contentType, u.filename);
          }
        }
      } catch (IOException e) {
        log.warn("upload failed: {}", e.toString());
        failure = ChatException.unavailable("cannot store uploads right now");
      } catch (RuntimeException e) {
        failure = engine.wireErrors().toWire(e, "rest", "POST /api/attachments");
      } finally {
        chunk.release();
      }
      if (failure != null && done == null) {
        attachments.discard(u.pending);
      }
      ChatException f = failure;
      Attachment a = done;
      ctx.executor().execute(() -> {
        u.writing = false;
        if (upload != u) {
          // the connection went away meanwhile
          if (a == null && f == null) {
            offload(ctx, () -> attachments.discard(u.pending));
          }
          return;
        }
        if (f != null) {
          u.failure = f;
          if (last) {
            finish(ctx, u, RestResponse.error(f), false);
            return;
          }
        } else if (a != null) {
          finish(ctx, u, RestResponse.created(g -> FrameCodec.writeAttachment(g, a)), u.keepAlive);
          return;
        }
        pump(ctx);
      });
    });
  }

  /** After a failure: reads and drops the rest of the body, then answers with the failure. */
  private void drop(ChannelHandlerContext ctx, Upload u) {
    HttpContent chunk;
    while ((chunk = u.queue.poll()) != null) {
      boolean last = chunk instanceof LastHttpContent;
      chunk.release();
      if (last) {
        finish(ctx, u, RestResponse.error(u.failure), u.keepAlive && u.failure.code() != ErrorCode.TOO_LARGE);
        return;
      }
    }
    ctx.read();
  }

  private void finish(ChannelHandlerContext ctx, Upload u, RestResponse response, boolean keepAlive) {
    u.finished = true;
    for (HttpContent c; (c = u.queue.poll()) != null; ) {
      c.release();
    }
    upload = null;
    ctx.channel().config().setAutoRead(true);
    respond(ctx, response, keepAlive);
  }

  private void respond(ChannelHandlerContext ctx, RestResponse response, boolean keepAlive) {
    responses.write(ctx.channel(), response, keepAlive);
  }

  private void offload(ChannelHandlerContext ctx, Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      ctx.close();
    }
  }

  private static ChatException tooLarge() {
    return new ChatException(ErrorCode.TOO_LARGE, "upload is over the size limit");
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Upload u = upload;
    if (u != null) {
      upload = null;
      for (HttpContent c; (c = u.queue.poll()) != null; ) {
        c.release();
      }
      if (!u.writing && u.pending != null && u.failure == null) {
        try {
          worker.execute(() -> attachments.discard(u.pending));
        } catch (RejectedExecutionException ignored) {
          // shutting down; the unfinished upload is swept after a day
        }
      }
    }
    super.channelInactive(ctx);
  }
}
