package dev.parley.core.session;

/**
 * How a transport takes the many {@link Connection#send sends} one thread makes in a burst. The
 * engine runs the acks and deliveries of each group-commit batch inside {@link #run}: a transport
 * that hands writes over to other threads (Netty's event loops) can hold the hand-over back and
 * wake each of those threads once at the end, rather than once per frame. Give one to
 * {@link dev.parley.core.ChatEngine.Builder#sendBurst}; the default runs the sends as they come.
 */
@FunctionalInterface
public interface SendBurst {
  /** No grouping: each send is handed over at once. */
  SendBurst NONE = Runnable::run;

  /**
   * Runs {@code sends} on the calling thread; every frame they send has been handed over when
   * this returns (also when {@code sends} throws). May be nested.
   */
  void run(Runnable sends);
}
