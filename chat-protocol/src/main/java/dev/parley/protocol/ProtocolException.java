package dev.parley.protocol;

/**
 * A client frame that could not be decoded: always {@link ErrorCode#BAD_REQUEST}, with a message
 * naming the offending field and, when it could be read, the frame's id so that the error frame
 * can echo it.
 */
public final class ProtocolException extends ChatException {
  private static final long serialVersionUID = 1L;
  private final String frameId;

  public ProtocolException(String message, String frameId) {
    super(ErrorCode.BAD_REQUEST, message);
    this.frameId = frameId;
  }

  /** The id of the bad frame when it was present as a string, else null. */
  public String frameId() {
    return frameId;
  }
}
