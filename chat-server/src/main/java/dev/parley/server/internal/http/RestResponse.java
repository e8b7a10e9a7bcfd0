package dev.parley.server.internal.http;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;

/**
 * What a route answers: a status and a body with its content type (empty for 204), or a file
 * sent straight from disk ({@code file} not null, {@code body} empty) or a body streamed from
 * elsewhere ({@code stream} not null), either with an optional Content-Disposition.
 */
public record RestResponse(HttpResponseStatus status, byte[] body, String contentType, Path file,
                           long fileLength, String disposition, StreamedBody stream) {
  private static final byte[] EMPTY = new byte[0];
  public static final String JSON = "application/json";

  public RestResponse(HttpResponseStatus status, byte[] body, String contentType) {
    this(status, body, contentType, null, 0, null, null);
  }

  /** A file from disk, streamed without reading it into memory. */
  public static RestResponse file(Path file, long length, String contentType, String disposition) {
    return new RestResponse(HttpResponseStatus.OK, EMPTY, contentType, file, length, disposition, null);
  }

  /** A body read from a blocking source as it is sent (see {@link StreamedBody}), answered like a file. */
  public static RestResponse stream(StreamedBody body, String contentType, String disposition) {
    return new RestResponse(HttpResponseStatus.OK, EMPTY, contentType, null, body.length(),
        disposition, body);
  }

  public static RestResponse json(HttpResponseStatus status, Json.JsonWriter writer) {
    return new RestResponse(status, Json.write(writer), JSON);
  }

  public static RestResponse ok(Json.JsonWriter writer) {
    return json(HttpResponseStatus.OK, writer);
  }

  public static RestResponse created(Json.JsonWriter writer) {
    return json(HttpResponseStatus.CREATED, writer);
  }

  public static RestResponse noContent() {
    return new RestResponse(HttpResponseStatus.NO_CONTENT, EMPTY, null);
  }

  /** The contract's error body for a failure. */
  public static RestResponse error(ChatException e) {
    return new RestResponse(HttpResponseStatus.valueOf(e.code().httpStatus()), Json.errorBody(e), JSON);
  }
}
