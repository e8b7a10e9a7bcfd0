package dev.parley.protocol.frame;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"type":"sync","id"?,"threads":{"threadId":lastSeenSeq,…}}}: send what was missed.
 *
 * @param threads thread id to the last seq the client has seen, in the order the client gave them;
 *     unmodifiable, never null
 */
public record SyncFrame(String id, Map<String, Long> threads) implements ClientFrame {
  public SyncFrame {
    threads = threads == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(threads));
  }

  @Override
  public ClientFrameType type() {
    return ClientFrameType.SYNC;
  }
}
