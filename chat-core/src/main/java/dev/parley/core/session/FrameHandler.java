package dev.parley.core.session;

import dev.parley.protocol.frame.FrameCodec;

/** What a session hands its frames to. */
interface FrameHandler {
  void onFrame(Session session, byte[] utf8);

  void onClosed(Session session);

  FrameCodec codec();
}
