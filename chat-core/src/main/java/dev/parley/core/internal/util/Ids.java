package dev.parley.core.internal.util;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers for users, threads, messages and attachments. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  /** The base64url characters in ASCII order, so that string order is bit order. */
  private static final char[] SORTABLE =
      "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".toCharArray();

  private Ids() {
  }

  /** 128 random bits from a {@link SecureRandom}, base64url without padding: 22 characters. */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /**
   * 48 bits of the current time in milliseconds then 80 random bits, as 22 characters of the
   * base64url alphabet in ASCII order: ids made later sort later, to the millisecond. Still
   * unguessable (80 random bits), but an index on them grows at its end instead of dirtying a
   * random page per insert, which is what a message id index needs under a high write rate.
   */
  public static String newTimeOrderedId() {
    return timeOrderedId(System.currentTimeMillis());
  }

  static String timeOrderedId(long millis) {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long high = (millis & 0xFFFF_FFFF_FFFFL) << 16 | (random[0] & 0xFF) << 8 | (random[1] & 0xFF);
    long low = 0;
    for (int i = 2; i < 10; i++) {
      low = low << 8 | (random[i] & 0xFF);
    }
    char[] out = new char[22];
    // 128 bits, most significant first, in 6-bit groups; the last group has 4 zero bits appended
    for (int i = 0; i < 22; i++) {
      int bit = i * 6; // index of the group's first bit, from the top
      int group;
      if (bit + 6 <= 64) {
        group = (int) (high >>> (58 - bit)) & 0x3F;
      } else if (bit < 64) {
        int fromHigh = 64 - bit;
        group = (int) ((high & ((1L << fromHigh) - 1)) << (6 - fromHigh)
            | low >>> (64 - (6 - fromHigh))) & 0x3F;
      } else if (bit + 6 <= 128) {
        group = (int) (low >>> (122 - bit)) & 0x3F;
      } else {
        group = (int) (low & 0x3) << 4; // bits 126 and 127, then four zero bits
      }
      out[i] = SORTABLE[group];
    }
    return new String(out);
  }
}
