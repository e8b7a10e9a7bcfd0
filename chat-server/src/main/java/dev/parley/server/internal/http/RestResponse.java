package dev.parley.server.internal.http;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;

/**
 * What a route answers: a status and a body with its content type (empty for 204), or a file
 * sent straight from disk ({@code file} not null, {@code body} empty) or a body streamed from
 * elsewhere ({@code stream} not null), either with an optional Content-Disposition. A file or
 * stream answers byte ranges ({@code Accept-Ranges: bytes}); {@code contentRange} is set on a 206
 * (a part, from {@code fileOffset}) and on a 416 (no body). A body with a disposition is user
 * content held in memory (see {@link #userContent}).
 */
public record RestResponse(HttpResponseStatus status, byte[] body, String contentType, Path file,
                           long fileOffset, long fileLength, String disposition, StreamedBody stream,
                           String contentRange) {
  private static final byte[] EMPTY = new byte[0];
  public static final String JSON = "application/json";

  public RestResponse(HttpResponseStatus status, byte[] body, String contentType) {
    this(status, body, contentType, null, 0, 0, null, null, null);
  }

  /** A file from disk, streamed without reading it into memory. */
  public static RestResponse file(Path file, long length, String contentType, String disposition) {
    return new RestResponse(HttpResponseStatus.OK, EMPTY, contentType, file, 0, length, disposition,
        null, null);
  }

  /** {@code length} bytes of a file from {@code offset}: a 206 with this Content-Range. */
  public static RestResponse filePart(Path file, long offset, long length, String contentType,
                                      String disposition, String contentRange) {
    return new RestResponse(HttpResponseStatus.PARTIAL_CONTENT, EMPTY, contentType, file, offset,
        length, disposition, null, contentRange);
  }

  /** A part of a streamed body (its own offset and length): a 206 with this Content-Range. */
  public static RestResponse streamPart(StreamedBody body, String contentType, String disposition,
                                        String contentRange) {
    return new RestResponse(HttpResponseStatus.PARTIAL_CONTENT, EMPTY, contentType, null, 0,
        body.length(), disposition, body, contentRange);
  }

  /** A 416: the range asked for lies outside the body; {@code contentRange} is {@code bytes *}{@code /size}. */
  public static RestResponse rangeNotSatisfiable(String contentRange) {
    return new RestResponse(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, EMPTY, null, null, 0,
        0, null, null, contentRange);
  }

  /** A body read from a blocking source as it is sent (see {@link StreamedBody}), answered like a file. */
  public static RestResponse stream(StreamedBody body, String contentType, String disposition) {
    return new RestResponse(HttpResponseStatus.OK, EMPTY, contentType, null, 0, body.length(),
        disposition, body, null);
  }

  /**
   * Bytes derived from an upload (a thumbnail the server made), answered with the headers of
   * user content and cached like a download; no byte ranges.
   */
  public static RestResponse userContent(byte[] body, String contentType, String disposition) {
    return new RestResponse(HttpResponseStatus.OK, body, contentType, null, 0, 0, disposition,
        null, null);
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
