package dev.parley.server.internal.rest;

import dev.parley.core.messaging.MessageService;
import dev.parley.core.messaging.SendCallback;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.MessagePage;
import dev.parley.core.conversations.ConversationService;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.Message;
import dev.parley.server.internal.http.RestRequest;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** History, sending over REST (same path as the WebSocket's send) and read positions. */
public final class MessageRoutes {
  private static final int DEFAULT_LIMIT = 50;
  private static final long SEND_TIMEOUT_SECONDS = 30;
  /** Threads with more readers than this get no per-message readBy; clients use read events. */
  private static final int READ_BY_MAX_MEMBERS = 50;

  record SendBody(String body, String clientId, List<String> attachments, Long replyTo) {
  }

  record EditBody(String body, String clientId) {
  }

  record ReadBody(Long seq) {
  }

  private MessageRoutes() {
  }

  public static List<Route> routes(MessageService messages, ConversationService conversations) {
    return List.of(
        Route.authenticated(HttpMethod.GET, "/api/threads/{id}/messages", req -> {
          String conversationId = req.param("id");
          Long before = req.longQueryParam("before");
          Long after = req.longQueryParam("after");
          Long limit = req.longQueryParam("limit");
          if (limit != null && limit < 1) {
            throw ChatException.badRequest("limit must be at least 1");
          }
          if ((before != null && before < 0) || (after != null && after < 0)) {
            throw ChatException.badRequest("before and after must not be negative");
          }
          conversations.requireMember(req.userId(), conversationId);
          int n = limit == null ? DEFAULT_LIMIT : (int) Math.min(limit, 200);
          MessagePage page = messages.history(conversationId, before, after, n);
          Map<String, Long> reads = messages.readPositions(conversationId);
          boolean withReadBy = reads.size() <= READ_BY_MAX_MEMBERS;
          return RestResponse.ok(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (Message m : page.messages()) {
              g.writeStartObject();
              FrameCodec.writeMessageFields(g, m);
              if (withReadBy) {
                g.writeArrayFieldStart("readBy");
                for (Map.Entry<String, Long> r : reads.entrySet()) {
                  if (r.getValue() >= m.seq() && !r.getKey().equals(m.sender())) {
                    g.writeString(r.getKey());
                  }
                }
                g.writeEndArray();
              }
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("hasMore", page.hasMore());
            g.writeEndObject();
          });
        }),
        Route.authenticated(HttpMethod.POST, "/api/threads/{id}/messages",
            req -> send(messages, conversations, req)),
        // the thread log's REST twins (contract 7.2): same rules, same entries delivered
        Route.authenticated(HttpMethod.PATCH, "/api/threads/{id}/messages/{seq}", req -> {
          String conversationId = req.param("id");
          long seq = seqParam(req);
          EditBody body = req.json(EditBody.class);
          if (body.body() == null) {
            throw ChatException.badRequest("body is required");
          }
          conversations.requireMember(req.userId(), conversationId);
          await(change(messages, req.userId(), conversationId, Change.edited(seq), body.body(),
              body.clientId()));
          MessagePage page = messages.history(conversationId, seq + 1, seq - 1, 1);
          if (page.messages().isEmpty()) {
            throw ChatException.notFound("message " + seq + " not found");
          }
          Message m = page.messages().get(0);
          return RestResponse.ok(g -> FrameCodec.writeMessage(g, m));
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/threads/{id}/messages/{seq}", req -> {
          String conversationId = req.param("id");
          long seq = seqParam(req);
          conversations.requireMember(req.userId(), conversationId);
          await(change(messages, req.userId(), conversationId, Change.deleted(seq), null, null));
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.PUT, "/api/threads/{id}/messages/{seq}/reactions/{emoji}",
            req -> react(messages, conversations, req, true)),
        Route.authenticated(HttpMethod.DELETE, "/api/threads/{id}/messages/{seq}/reactions/{emoji}",
            req -> react(messages, conversations, req, false)),
        Route.authenticated(HttpMethod.POST, "/api/threads/{id}/read", req -> {
          ReadBody body = req.json(ReadBody.class);
          if (body.seq() == null) {
            throw ChatException.badRequest("seq is required");
          }
          conversations.requireMember(req.userId(), req.param("id"));
          messages.markRead(req.userId(), req.param("id"), body.seq(), null);
          return RestResponse.noContent();
        }));
  }

  private static RestResponse react(MessageService messages, ConversationService conversations,
                                    RestRequest req, boolean on) throws InterruptedException {
    String conversationId = req.param("id");
    long seq = seqParam(req);
    // the router hands path parameters percent-decoded
    String emoji = req.param("emoji");
    conversations.requireMember(req.userId(), conversationId);
    await(change(messages, req.userId(), conversationId, Change.reaction(seq, emoji, on), null, null));
    return RestResponse.noContent();
  }

  private static CompletableFuture<AppendResult> change(MessageService messages, String userId,
                                                        String conversationId, Change change,
                                                        String body, String clientId) {
    CompletableFuture<AppendResult> stored = new CompletableFuture<>();
    messages.change(userId, conversationId, change, body, clientId,
        SendCallback.completing(stored, result -> result));
    return stored;
  }

  private static long seqParam(RestRequest req) {
    try {
      return Long.parseLong(req.param("seq"));
    } catch (NumberFormatException e) {
      throw ChatException.badRequest("seq must be an integer");
    }
  }

  /** Waits for the commit; its failure is the request's. */
  private static AppendResult await(CompletableFuture<AppendResult> stored) throws InterruptedException {
    try {
      return stored.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChatException ce) {
        throw ce;
      }
      throw new ChatException(ErrorCode.INTERNAL, "internal error", e.getCause());
    } catch (TimeoutException e) {
      throw ChatException.unavailable("the store did not answer in time; retry with the same clientId");
    }
  }

  private static RestResponse send(MessageService messages, ConversationService conversations, RestRequest req)
      throws InterruptedException {
    SendBody body = req.json(SendBody.class);
    String conversationId = req.param("id");
    messages.checkBody(body.body(), body.attachments() != null && !body.attachments().isEmpty());
    conversations.requireMember(req.userId(), conversationId);
    List<Attachment> attachments = messages.resolveAttachments(req.userId(), body.attachments());
    CompletableFuture<AppendResult> stored = new CompletableFuture<>();
    messages.send(req.userId(), conversationId, body.body(), body.clientId(), attachments,
        body.replyTo(), SendCallback.completing(stored, result -> result));
    AppendResult result = await(stored);
    Message m = result.message();
    return RestResponse.json(result.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED,
        g -> FrameCodec.writeMessage(g, m));
  }
}
