package dev.parley.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
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
}
