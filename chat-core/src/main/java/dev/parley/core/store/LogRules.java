package dev.parley.core.store;

import java.nio.charset.StandardCharsets;

/** The thread log's rules on reactions (contract 7.2), shared by every store. */
public final class LogRules {
  /** Distinct emoji one user may have on one message. */
  public static final int MAX_REACTIONS = 20;
  /** Longest emoji, in UTF-8 bytes. */
  public static final int MAX_EMOJI_BYTES = 32;

  private LogRules() {
  }

  /** Why the emoji is refused, or null when it is fine: 1 to 32 bytes, no White_Space. */
  public static String emojiProblem(String emoji) {
    if (emoji == null || emoji.isEmpty()) {
      return "emoji must not be empty";
    }
    if (emoji.length() > MAX_EMOJI_BYTES || emoji.getBytes(StandardCharsets.UTF_8).length > MAX_EMOJI_BYTES) {
      return "emoji must be at most " + MAX_EMOJI_BYTES + " bytes of UTF-8";
    }
    for (int i = 0; i < emoji.length(); i++) {
      if (isWhiteSpace(emoji.charAt(i))) {
        return "emoji must not contain whitespace";
      }
    }
    return null;
  }

  /** Unicode's White_Space property (all such code points are in the BMP). */
  static boolean isWhiteSpace(char c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
        || c == 0x205F || c == 0x3000;
  }
}
