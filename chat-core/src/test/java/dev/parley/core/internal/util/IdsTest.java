package dev.parley.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAre22Base64UrlCharsCarrying128Bits() {
    String id = Ids.newId();
    assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(Ids.newId())).isTrue();
    }
  }

  @Test
  void timeOrderedIdsSortByTimeAndDoNotRepeat() {
    List<String> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (long t = 1_700_000_000_000L; t < 1_700_000_000_000L + 50_000; t += 7) {
      String id = Ids.timeOrderedId(t);
      assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
      assertThat(seen.add(id)).isTrue();
      ids.add(id);
    }
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
    }
    assertThat(Ids.timeOrderedId(0xFFFF_FFFF_FFFFL)).startsWith("zzzzzzzz");
    assertThat(Ids.timeOrderedId(0)).startsWith("--------");
  }

  @Test
  void timeOrderedIdsKeepEightyRandomBits() {
    // same millisecond: ids differ only after the 8 time characters, and all 80 bits vary
    Set<String> seen = new HashSet<>();
    int[] ones = new int[80];
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = Ids.timeOrderedId(42);
      assertThat(seen.add(id)).isTrue();
      String bits = bits(id);
      for (int b = 0; b < 80; b++) {
        ones[b] += bits.charAt(48 + b) - '0';
      }
      assertThat(bits.substring(128)).isEqualTo("0000");
    }
    for (int b = 0; b < 80; b++) {
      assertThat(ones[b]).as("random bit %d", b).isBetween(n / 2 - n / 20, n / 2 + n / 20);
    }
  }

  private static String bits(String id) {
    String alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    StringBuilder sb = new StringBuilder();
    for (char ch : id.toCharArray()) {
      String b = Integer.toBinaryString(alphabet.indexOf(ch));
      sb.append("0".repeat(6 - b.length())).append(b);
    }
    return sb.toString();
  }
}
