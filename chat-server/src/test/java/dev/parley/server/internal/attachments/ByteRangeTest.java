package dev.parley.server.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  private static ByteRange.Request parse(String header) {
    return ByteRange.parse(header, 1000);
  }

  private static ByteRange part(String header) {
    ByteRange.Request r = parse(header);
    assertThat(r).as(header).isInstanceOf(ByteRange.Partial.class);
    return ((ByteRange.Partial) r).range();
  }

  @Test
  void resolvesTheThreeFormsOfASingleRange() {
    assertThat(part("bytes=0-99")).isEqualTo(new ByteRange(0, 100));
    assertThat(part("bytes=900-")).isEqualTo(new ByteRange(900, 100));
    assertThat(part("bytes=-10")).isEqualTo(new ByteRange(990, 10));
    assertThat(part("bytes=-5000")).isEqualTo(new ByteRange(0, 1000));
    assertThat(part("bytes=990-5000")).isEqualTo(new ByteRange(990, 10));
    assertThat(part("Bytes=5-5")).isEqualTo(new ByteRange(5, 1));
    assertThat(part("bytes=0-99").contentRange(1000)).isEqualTo("bytes 0-99/1000");
  }

  @Test
  void aRangePastTheEndIsUnsatisfiable() {
    assertThat(parse("bytes=1000-")).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(parse("bytes=-0")).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(ByteRange.unsatisfied(1000)).isEqualTo("bytes */1000");
  }

  @Test
  void anythingElseMeansTheWholeBody() {
    for (String h : new String[] {null, "", "bytes=", "bytes=-", "bytes=5", "bytes=9-3", "bytes=a-b",
        "bytes=0-1,3-4", "items=0-1", "bytes=99999999999999999999-", "bytes=+1-2"}) {
      assertThat(parse(h)).as(String.valueOf(h)).isInstanceOf(ByteRange.Whole.class);
    }
  }
}
