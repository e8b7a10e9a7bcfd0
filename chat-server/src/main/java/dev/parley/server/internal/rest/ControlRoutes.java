package dev.parley.server.internal.rest;

import dev.parley.core.blocking.BlockService;
import dev.parley.core.conversations.ConversationService;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.core.search.SearchService;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import dev.parley.protocol.model.User;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * Contract 7.4: blocking users, muting threads, group admins and renaming. Each route's rules
 * live in the engine ({@link BlockService}, {@link ConversationService}); these only map them.
 */
public final class ControlRoutes {
  record RenameBody(String title) {
  }

  private ControlRoutes() {
  }

  /** {@code GET /api/search} (contract 7.3). */
  public static List<Route> searchRoutes(SearchService search) {
    return List.of(Route.authenticated(HttpMethod.GET, "/api/search", req -> {
      String limitText = req.queryParam("limit");
      Integer limit = null;
      if (limitText != null) {
        try {
          limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
          throw ChatException.badRequest("limit must be an integer");
        }
      }
      SearchService.Page page = search.search(req.userId(), req.queryParam("q"),
          req.queryParam("thread"), limit, req.queryParam("cursor"));
      return RestResponse.ok(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("results");
        for (Message m : page.results()) {
          FrameCodec.writeMessage(g, m);
        }
        g.writeEndArray();
        if (page.next() == null) {
          g.writeNullField("next");
        } else {
          g.writeStringField("next", page.next());
        }
        g.writeEndObject();
      });
    }));
  }

  public static List<Route> routes(BlockService blocks, ConversationService conversations) {
    return List.of(
        Route.authenticated(HttpMethod.PUT, "/api/users/{id}/block", req -> {
          blocks.block(req.userId(), req.param("id"));
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/users/{id}/block", req -> {
          blocks.unblock(req.userId(), req.param("id"));
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.GET, "/api/users/me/blocks", req -> {
          List<User> users = blocks.blocked(req.userId());
          return RestResponse.ok(g -> FrameCodec.writeUserList(g, users));
        }),
        Route.authenticated(HttpMethod.PUT, "/api/threads/{id}/mute", req -> {
          conversations.setMuted(req.userId(), req.param("id"), true);
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/threads/{id}/mute", req -> {
          conversations.setMuted(req.userId(), req.param("id"), false);
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.PUT, "/api/threads/{id}/admins/{userId}", req -> {
          conversations.setAdmin(req.userId(), req.param("id"), req.param("userId"), true);
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/threads/{id}/admins/{userId}", req -> {
          conversations.setAdmin(req.userId(), req.param("id"), req.param("userId"), false);
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.PATCH, "/api/threads/{id}", req -> {
          RenameBody body = req.json(RenameBody.class);
          if (body.title() == null) {
            throw ChatException.badRequest("title is required");
          }
          ChatThread thread = conversations.rename(req.userId(), req.param("id"), body.title());
          return RestResponse.ok(g -> FrameCodec.writeThread(g, thread));
        }));
  }
}
