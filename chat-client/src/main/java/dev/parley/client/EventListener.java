package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Unprompted server frames other than messages: {@code typing}, {@code read}, {@code presence},
 * {@code thread}, {@code removed} (docs/protocol.md, section 5), and the change entries
 * {@code edited}, {@code deleted}, {@code reaction} (section 11; like messages, each once and in
 * seq order). Runs on the client's event loop: never block in it.
 */
@FunctionalInterface
public interface EventListener {
  void onEvent(String type, JsonNode frame);
}
