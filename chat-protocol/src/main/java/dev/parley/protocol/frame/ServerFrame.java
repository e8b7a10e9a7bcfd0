package dev.parley.protocol.frame;

/**
 * A frame the server sends over the WebSocket, encoded by {@link FrameCodec#encode(ServerFrame)}.
 * Optional fields that are null are left out of the JSON; in particular an answer to a client
 * frame without an id carries no id.
 */
public sealed interface ServerFrame
    permits HelloFrame, MessageFrame, MessageAckFrame, ReadAckFrame, AuthAckFrame, TypingEvent,
    ReadEvent, SyncedFrame, PresenceAnswer, PresenceEvent, PongFrame, ErrorFrame, ThreadEvent,
    RemovedEvent, ChangeAckFrame {

  /** The value of the frame's {@code "type"} field, e.g. {@code message}. */
  String type();
}
