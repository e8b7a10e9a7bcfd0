package dev.parley.server.internal.rest;

import dev.parley.core.accounts.ProfileService;
import dev.parley.core.store.AvatarImage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.frame.FrameCodec;
import dev.parley.protocol.model.User;
import dev.parley.server.internal.attachments.ContentDisposition;
import dev.parley.server.internal.attachments.Thumbnailer;
import dev.parley.server.internal.http.RestResponse;
import dev.parley.server.internal.http.Route;
import dev.parley.server.internal.profile.AvatarImages;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * The display name, profile pictures and what others see of a user. A new name or picture is
 * announced to the members of the user's threads (see {@link ProfileService}).
 *
 * <ul>
 *   <li>{@code PATCH /api/users/me} {@code {"displayName"}}: answers the user.</li>
 *   <li>{@code PUT /api/users/me/avatar} with the image as the body (PNG, JPEG or GIF, within
 *       the request limit): the server keeps the centred square, encoded again
 *       (see {@link AvatarImages}); answers the caller's user, whose {@code avatar} is the new
 *       picture's path.</li>
 *   <li>{@code DELETE /api/users/me/avatar}: no picture any more; answers the user.</li>
 *   <li>{@code GET /api/users/{id}/avatar/{version}}, without authentication so that an
 *       {@code img} can load it: the picture, cached for good (a new picture has a new path);
 *       404 once replaced. The version is unguessable, so only those who were shown the user
 *       find it. Served with the user-content headers (nosniff, sandbox CSP).</li>
 *   <li>{@code GET /api/users/{id}}: the user plus {@code online} and {@code lastSeen} (epoch ms
 *       or null), both hidden while a block stands either way.</li>
 * </ul>
 */
public final class ProfileRoutes {
  record NameBody(String displayName) {
  }

  private ProfileRoutes() {
  }

  public static List<Route> routes(ProfileService profiles, AvatarImages images) {
    return List.of(
        Route.authenticated(HttpMethod.PATCH, "/api/users/me", req -> {
          User user = profiles.changeDisplayName(req.userId(), req.json(NameBody.class).displayName());
          return RestResponse.ok(g -> FrameCodec.writeUser(g, user));
        }),
        Route.authenticated(HttpMethod.PUT, "/api/users/me/avatar", req -> {
          Thumbnailer.Thumbnail picture = images.encode(req.body());
          User user = profiles.setAvatar(req.userId(), picture.contentType(), picture.bytes());
          return RestResponse.ok(g -> FrameCodec.writeUser(g, user));
        }),
        Route.authenticated(HttpMethod.DELETE, "/api/users/me/avatar", req -> {
          User user = profiles.removeAvatar(req.userId());
          return RestResponse.ok(g -> FrameCodec.writeUser(g, user));
        }),
        Route.open(HttpMethod.GET, "/api/users/{id}/avatar/{version}", req -> {
          AvatarImage picture = profiles.avatar(req.param("id"), req.param("version"))
              .orElseThrow(() -> ChatException.notFound("no such picture"));
          String name = picture.contentType().equals("image/png") ? "avatar.png" : "avatar.jpg";
          return RestResponse.userContent(picture.bytes(), picture.contentType(),
              ContentDisposition.of(true, name));
        }),
        Route.authenticated(HttpMethod.GET, "/api/users/{id}", req -> {
          ProfileService.Profile p = profiles.profile(req.userId(), req.param("id"));
          return RestResponse.ok(g -> {
            g.writeStartObject();
            FrameCodec.writeUserFields(g, p.user());
            g.writeBooleanField("online", p.online());
            if (p.lastSeen() != null) {
              g.writeNumberField("lastSeen", p.lastSeen());
            } else {
              g.writeNullField("lastSeen");
            }
            g.writeEndObject();
          });
        }));
  }
}
