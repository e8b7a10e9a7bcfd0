package dev.parley.protocol.frame;

import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.util.Objects;

/**
 * {@code {"type":"error","id"?,"code","message"}}: a frame failed; the connection stays open.
 *
 * @param message human text; when null the code's wire name is used
 */
public record ErrorFrame(String id, ErrorCode code, String message) implements ServerFrame {
  public ErrorFrame {
    Objects.requireNonNull(code, "code");
    if (message == null) {
      message = code.wire();
    }
  }

  /** The error frame for a failure, answering the frame with the given id (null for none). */
  public static ErrorFrame of(String id, ChatException failure) {
    return new ErrorFrame(id, failure.code(), failure.getMessage());
  }

  @Override
  public String type() {
    return "error";
  }
}
