package dev.parley.core.messaging;

/** UTF-8 arithmetic without encoding. */
final class Utf8 {
  private Utf8() {
  }

  /** The number of bytes {@code s} takes in UTF-8, as {@code String.getBytes(UTF_8)} writes it. */
  static int length(CharSequence s) {
    int n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1; // String.getBytes(UTF_8) writes '?' for a lone surrogate
      } else {
        n += 3;
      }
    }
    return n;
  }
}
