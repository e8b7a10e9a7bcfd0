package dev.parley.protocol;

/**
 * A failure that clients see as a contract error: a code and a human message. Thrown by the codec,
 * the engine and the store; the transports turn it into an error frame or an error response.
 */
public class ChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public ChatException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ChatException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }

  public static ChatException forbidden(String message) {
    return new ChatException(ErrorCode.FORBIDDEN, message);
  }

  public static ChatException notFound(String message) {
    return new ChatException(ErrorCode.NOT_FOUND, message);
  }

  public static ChatException conflict(String message) {
    return new ChatException(ErrorCode.CONFLICT, message);
  }

  public static ChatException unauthorized(String message) {
    return new ChatException(ErrorCode.UNAUTHORIZED, message);
  }

  public static ChatException unavailable(String message) {
    return new ChatException(ErrorCode.UNAVAILABLE, message);
  }
}
