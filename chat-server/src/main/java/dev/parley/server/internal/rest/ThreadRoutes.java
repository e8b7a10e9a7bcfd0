package dev.parley.server.internal.rest;

import dev.parley.core.store.DirectThreadResult;
import dev.parley.core.conversations.ConversationService;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.ThreadSummary;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/** Creating, listing and reading conversations, and their membership. */
public final class ThreadRoutes {
  record CreateBody(String kind, String title, List<String> members) {
  }

  record AddMemberBody(String userId) {
  }

  private ThreadRoutes() {
  }

  public static List<Route> routes(ConversationService conversations) {
    return List.of(
        Route.authenticated(HttpMethod.POST, "/api/threads", req -> {
          CreateBody body = req.json(CreateBody.class);
          List<String> members = body.members() == null ? List.of() : body.members();
          if (members.stream().anyMatch(java.util.Objects::isNull)) { // List.of().contains(null) throws
            throw ChatException.badRequest("members must be user ids");
          }
          if (ChatThread.DIRECT.equals(body.kind())) {
            List<String> others = members.stream().filter(m -> !m.equals(req.userId())).distinct().toList();
            if (others.size() != 1) {
              throw ChatException.badRequest("a direct thread has exactly one other member");
            }
            DirectThreadResult result = conversations.direct(req.userId(), others.get(0));
            return RestResponse.json(result.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                g -> FrameCodec.writeThread(g, result.thread()));
          }
          if (ChatThread.GROUP.equals(body.kind())) {
            ChatThread thread = conversations.createGroup(req.userId(), body.title(), members);
            return RestResponse.created(g -> FrameCodec.writeThread(g, thread));
          }
          throw ChatException.badRequest("kind must be \"direct\" or \"group\"");
        }),
        Route.authenticated(HttpMethod.GET, "/api/threads", req -> {
          List<ThreadSummary> list = conversations.list(req.userId());
          return RestResponse.ok(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("threads");
            for (ThreadSummary s : list) {
              FrameCodec.writeThreadSummary(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
          });
        }),
        Route.authenticated(HttpMethod.GET, "/api/threads/{id}", req -> {
          ChatThread thread = conversations.get(req.userId(), req.param("id"));
          return RestResponse.ok(g -> FrameCodec.writeThread(g, thread));
        }),
        Route.authenticated(HttpMethod.POST, "/api/threads/{id}/members", req -> {
          AddMemberBody body = req.json(AddMemberBody.class);
          if (body.userId() == null) {
            throw ChatException.badRequest("userId is required");
          }
          ChatThread thread = conversations.addMember(req.userId(), req.param("id"), body.userId());
          return RestResponse.ok(g -> FrameCodec.writeThread(g, thread));
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/threads/{id}/members/{userId}", req -> {
          conversations.removeMember(req.userId(), req.param("id"), req.param("userId"));
          return RestResponse.noContent();
        }));
  }
}
