package dev.parley.core.search;

import dev.parley.protocol.ChatException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a word is for search (contract 7.3): a run of Unicode letters and digits (with the marks
 * that combine with them), compared in lower case without diacritics, so that {@code cafe} finds
 * {@code Café}. Nothing in a query is syntax: quotes, {@code *}, {@code NEAR}, {@code OR} and
 * parentheses are punctuation or plain words.
 */
public final class SearchText {
  /** Longest query, in characters. */
  public static final int MAX_QUERY = 256;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private SearchText() {
  }

  /** The normalised words of a text, in order (duplicates kept). */
  public static List<String> words(String text) {
    String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
        .toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(folded);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The text's words joined by spaces: what the PostgreSQL index stores. */
  public static String normalised(String text) {
    return String.join(" ", words(text));
  }

  /**
   * The words of a query: 400 when it is missing, longer than {@link #MAX_QUERY} characters, or
   * holds no word.
   */
  public static List<String> queryWords(String q) {
    if (q == null || q.isEmpty()) {
      throw ChatException.badRequest("q is required");
    }
    if (q.length() > MAX_QUERY) {
      throw ChatException.badRequest("q is longer than " + MAX_QUERY + " characters");
    }
    List<String> words = words(q);
    if (words.isEmpty()) {
      throw ChatException.badRequest("q has no word to search for (words are letters and digits)");
    }
    return words;
  }
}
