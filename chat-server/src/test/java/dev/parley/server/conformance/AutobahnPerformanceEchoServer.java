package dev.parley.server.conformance;

/**
 * {@link AutobahnEchoServer} with a frame limit large enough for Autobahn's performance cases
 * (9.*, messages of up to 16 MiB), which the chat server's 64 KiB default would refuse with 1009.
 * Used by the {@code autobahn-full} Maven profile.
 */
public final class AutobahnPerformanceEchoServer {
  private static final int PERFORMANCE_FRAME_LIMIT = 20 * 1024 * 1024;

  private AutobahnPerformanceEchoServer() {
  }

  /** Serves on {@code args[0]} until interrupted. */
  public static void main(String[] args) throws InterruptedException {
    AutobahnEchoServer.run(Integer.parseInt(args[0]), PERFORMANCE_FRAME_LIMIT);
  }
}
