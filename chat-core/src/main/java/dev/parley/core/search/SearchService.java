package dev.parley.core.search;

import dev.parley.core.conversations.ConversationService;
import dev.parley.core.store.ChatStore;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Message search (contract 7.3): every word of the query, case and diacritics ignored, the last
 * word also as a prefix, among the threads the caller is a member of at the time of the search,
 * newest first, paged by an opaque cursor. Blocks (store): call it on a worker thread.
 */
public final class SearchService {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  private final ChatStore store;
  private final ConversationService conversations;

  public SearchService(ChatStore store, ConversationService conversations) {
    this.store = store;
    this.conversations = conversations;
  }

  /** One page of results and the cursor of the next page (null when there is none). */
  public record Page(List<Message> results, String next) {
    public Page {
      results = List.copyOf(results);
    }
  }

  /**
   * Searches. {@code conversationId}, {@code limit} and {@code cursor} may be null. Errors: 400
   * for a query without words or over 256 characters, a limit below 1 or a cursor this service
   * did not make; 404 an unknown thread; 403 a thread the user is not in.
   */
  public Page search(String userId, String q, String conversationId, Integer limit, String cursor) {
    List<String> words = SearchText.queryWords(q);
    int n = limit == null ? DEFAULT_LIMIT : limit;
    if (n < 1) {
      throw ChatException.badRequest("limit must be at least 1");
    }
    n = Math.min(n, MAX_LIMIT);
    Long beforeTs = null;
    String beforeId = null;
    if (cursor != null) {
      String[] parts = decode(cursor);
      beforeTs = Long.parseLong(parts[0]);
      beforeId = parts[1];
    }
    if (conversationId != null) {
      conversations.requireMember(userId, conversationId);
    }
    List<Message> found = new ArrayList<>(
        store.searchMessages(userId, words, conversationId, beforeTs, beforeId, n + 1));
    String next = null;
    if (found.size() > n) {
      found.remove(n);
      Message last = found.get(n - 1);
      next = encode(last.ts(), last.id());
    }
    return new Page(found, next);
  }

  private static String encode(long ts, String id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((ts + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      if (colon < 1 || colon == text.length() - 1) {
        throw new IllegalArgumentException("no colon");
      }
      String ts = text.substring(0, colon);
      Long.parseLong(ts);
      return new String[] {ts, text.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      throw ChatException.badRequest("cursor is not one this server gave");
    }
  }
}
