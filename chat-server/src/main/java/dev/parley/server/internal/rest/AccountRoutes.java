package dev.parley.server.internal.rest;

import dev.parley.core.accounts.AccountService;
import dev.parley.core.accounts.SessionService;
import dev.parley.core.auth.TokenPair;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.User;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * Register, login, refresh, logout (one session or all), WebSocket tickets, password change, the
 * caller's own user and user search. (Changing the display name: {@link ProfileRoutes}.)
 */
public final class AccountRoutes {
  record RegisterBody(String username, String password, String displayName) {
  }

  record LoginBody(String username, String password) {
  }

  record RefreshBody(String refresh) {
  }

  record PasswordBody(String current, @com.fasterxml.jackson.annotation.JsonProperty("new") String next) {
  }

  private AccountRoutes() {
  }

  public static List<Route> routes(AccountService accounts) {
    return List.of(
        Route.open(HttpMethod.POST, "/api/auth/register", req -> {
          RegisterBody body = req.json(RegisterBody.class);
          User user = accounts.register(body.username(), body.password(), body.displayName());
          return RestResponse.created(g -> FrameCodec.writeUser(g, user));
        }),
        Route.open(HttpMethod.POST, "/api/auth/login", req -> {
          LoginBody body = req.json(LoginBody.class);
          return tokens(accounts.login(body.username(), body.password(), req.clientAddress()));
        }),
        Route.open(HttpMethod.POST, "/api/auth/refresh", req -> {
          RefreshBody body = req.json(RefreshBody.class);
          return tokens(accounts.refresh(body.refresh()));
        }),
        Route.open(HttpMethod.POST, "/api/auth/logout", req -> {
          accounts.logout(req.json(RefreshBody.class).refresh());
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.POST, "/api/auth/logout-all", req -> {
          accounts.logoutEverywhere(req.userId());
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.POST, "/api/auth/ticket", req -> {
          String ticket = accounts.sessions().issueTicket(req.user());
          return RestResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("ticket", ticket);
            g.writeNumberField("expiresIn", SessionService.TICKET_TTL.toSeconds());
            g.writeEndObject();
          });
        }),
        Route.authenticated(HttpMethod.POST, "/api/users/me/password", req -> {
          PasswordBody body = req.json(PasswordBody.class);
          accounts.changePassword(req.user(), body.current(), body.next(), req.clientAddress());
          return RestResponse.noContent();
        }),
        Route.authenticated(HttpMethod.GET, "/api/users/me", req -> {
          User user = accounts.get(req.userId());
          return RestResponse.ok(g -> FrameCodec.writeUser(g, user));
        }),
        Route.authenticated(HttpMethod.GET, "/api/users", req -> {
          List<User> users = accounts.search(req.queryParam("q"));
          return RestResponse.ok(g -> FrameCodec.writeUserList(g, users));
        }));
  }

  private static RestResponse tokens(TokenPair pair) {
    return RestResponse.ok(g -> {
      g.writeStartObject();
      g.writeStringField("access", pair.access());
      g.writeStringField("refresh", pair.refresh());
      g.writeNumberField("expiresIn", pair.expiresIn());
      g.writeEndObject();
    });
  }
}
