package dev.parley.protocol.frame;

/**
 * A frame a client sends over the WebSocket, as decoded by {@link FrameCodec#decode(byte[])}.
 * Dispatch on {@link #type()} (or with {@code instanceof}).
 */
public sealed interface ClientFrame
    permits SendFrame, TypingFrame, ReadFrame, SyncFrame, PresenceQueryFrame, PingFrame, AuthFrame,
    ChangeFrame {

  /** The client-chosen frame id to echo in the answer, or null when the frame carried none. */
  String id();

  /** Which kind of frame this is. */
  ClientFrameType type();
}
