package dev.parley.protocol.frame;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"type":"presence","id"?,"users":{"userId":"online"|"offline",…}}}: the answer to a
 * presence query.
 *
 * @param users user id to status, written in the map's iteration order (copied, order kept)
 */
public record PresenceAnswer(String id, Map<String, String> users) implements ServerFrame {
  public PresenceAnswer {
    users = users == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(users));
  }

  @Override
  public String type() {
    return "presence";
  }
}
