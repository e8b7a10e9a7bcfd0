package dev.parley.server.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.testing.MovableClock;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces that make serving uploaded bytes safe: names, magic numbers, signed links. */
class DownloadSafetyTest {
  private static final byte[] SECRET = "test-secret-test-secret-test-secret-0123".getBytes(StandardCharsets.UTF_8);

  @Test
  void dispositionNamesCannotBreakOutOrDisguiseThemselves() {
    assertThat(ContentDisposition.of(false, "notes.txt"))
        .isEqualTo("attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt");
    assertThat(ContentDisposition.of(true, "a\"b.png"))
        .isEqualTo("inline; filename=\"a_b.png\"; filename*=UTF-8''a_b.png");
    String crlf = ContentDisposition.of(false, "a\r\nContent-Type: text/html\r\n\r\n<script>.html");
    assertThat(crlf).doesNotContain("\r").doesNotContain("\n").doesNotContain("<script>\"");
    assertThat(ContentDisposition.sanitize("../../etc/passwd")).isEqualTo("_.._etc_passwd");
    assertThat(ContentDisposition.sanitize("..\\..\\win.ini")).isEqualTo("_.._win.ini");
    assertThat(ContentDisposition.sanitize("invoice\u202Efdp.html")).isEqualTo("invoicefdp.html");
    assertThat(ContentDisposition.sanitize("x\u200B\u2066y\u0000z")).isEqualTo("xyz");
    assertThat(ContentDisposition.sanitize("cat.png" + " ".repeat(80) + ".html")).isEqualTo("cat.png .html");
    assertThat(ContentDisposition.sanitize(" \t ")).isEqualTo("file");
    assertThat(ContentDisposition.sanitize(null)).isEqualTo("file");
    String longName = ContentDisposition.sanitize("x".repeat(500) + ".html");
    assertThat(longName).hasSize(ContentDisposition.MAX_CODE_POINTS).endsWith(".html");
    String unicode = ContentDisposition.of(false, "résumé 履歴.pdf");
    assertThat(unicode).isEqualTo("attachment; filename=\"r_sum_ __.pdf\"; "
        + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E5%B1%A5%E6%AD%B4.pdf");
    for (char c = 0; c < 0x80; c++) {
      String header = ContentDisposition.of(false, "a" + c + "b");
      assertThat(header.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)).as("char %d", (int) c).isTrue();
    }
  }

  @Test
  void uploadNamesOutsideAsciiComeAsRfc5987ExtValues() {
    assertThat(ContentDisposition.fromHeader("UTF-8''Caf%C3%A9%20%E2%80%93%20r%C3%A9sum%C3%A9.png"))
        .isEqualTo("Café – résumé.png");
    assertThat(ContentDisposition.fromHeader("utf-8''%E5%B1%A5%E6%AD%B4.pdf")).isEqualTo("履歴.pdf");
    assertThat(ContentDisposition.fromHeader("plain name.txt")).isEqualTo("plain name.txt");
    assertThat(ContentDisposition.fromHeader(null)).isNull();
    // not valid percent-encoding or not valid UTF-8: taken as it is, never half-decoded
    assertThat(ContentDisposition.fromHeader("UTF-8''100%.txt")).isEqualTo("UTF-8''100%.txt");
    assertThat(ContentDisposition.fromHeader("UTF-8''%C3%28.txt")).isEqualTo("UTF-8''%C3%28.txt");
    assertThat(ContentDisposition.fromHeader("UTF-8''a b.txt")).isEqualTo("UTF-8''a b.txt");
    // decoded control characters are still taken out when the name is shown or served
    String decoded = ContentDisposition.fromHeader("UTF-8''a%0D%0AContent-Type%3A%20text%2Fhtml.png");
    assertThat(ContentDisposition.of(false, decoded)).doesNotContain("\r").doesNotContain("\n");
    assertThat(ContentDisposition.of(false, ContentDisposition.fromHeader("UTF-8''Caf%C3%A9.png")))
        .isEqualTo("attachment; filename=\"Caf_.png\"; filename*=UTF-8''Caf%C3%A9.png");
  }

  @Test
  void onlyMagicNumbersMakeAnImage() {
    assertThat(RasterImages.sniff(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0), 12)).isEqualTo("image/png");
    assertThat(RasterImages.sniff(bytes(0xff, 0xd8, 0xff, 0xe0), 4)).isEqualTo("image/jpeg");
    assertThat(RasterImages.sniff("GIF89a".getBytes(StandardCharsets.US_ASCII), 6)).isEqualTo("image/gif");
    assertThat(RasterImages.sniff("GIF87a".getBytes(StandardCharsets.US_ASCII), 6)).isEqualTo("image/gif");
    assertThat(RasterImages.sniff("RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.US_ASCII), 12)).isEqualTo("image/webp");
    assertThat(RasterImages.sniff("<svg xmlns=".getBytes(StandardCharsets.US_ASCII), 11)).isNull();
    assertThat(RasterImages.sniff("<!doctype h".getBytes(StandardCharsets.US_ASCII), 11)).isNull();
    assertThat(RasterImages.sniff("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 9)).isNull();
    assertThat(RasterImages.sniff("RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII), 12)).isNull();
    assertThat(RasterImages.sniff(bytes(0x89, 'P', 'N'), 3)).isNull();
  }

  @Test
  void linksWorkUntilTheyExpireAndCannotBeForged() {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AttachmentLinks links = new AttachmentLinks(SECRET, clock, Duration.ofMinutes(10));
    AttachmentLinks.Link link = links.issue("att1", "user1");
    assertThat(link.url()).startsWith("/api/attachments/att1/content?");
    assertThat(link.thumbnailUrl()).isEqualTo(link.url().replace("/content?", "/thumbnail/content?"));
    assertThat(link.expiresAt()).isEqualTo(clock.millis() + 600_000);
    Map<String, String> q = query(link.url());
    assertThat(links.verify("att1", q.get("u"), q.get("exp"), q.get("sig"))).isEqualTo("user1");

    assertForbidden(() -> links.verify("att2", q.get("u"), q.get("exp"), q.get("sig")));
    assertForbidden(() -> links.verify("att1", "user2", q.get("exp"), q.get("sig")));
    assertForbidden(() -> links.verify("att1", q.get("u"), String.valueOf(Long.parseLong(q.get("exp")) + 3600), q.get("sig")));
    assertForbidden(() -> links.verify("att1", q.get("u"), q.get("exp"), q.get("sig").substring(1) + "A"));
    assertForbidden(() -> links.verify("att1", q.get("u"), q.get("exp"), null));
    assertForbidden(() -> links.verify("att1", q.get("u"), "soon", q.get("sig")));
    AttachmentLinks otherServer = new AttachmentLinks("another-secret-another-secret-012345".getBytes(StandardCharsets.UTF_8),
        clock, Duration.ofMinutes(10));
    assertForbidden(() -> otherServer.verify("att1", q.get("u"), q.get("exp"), q.get("sig")));

    clock.advance(Duration.ofMinutes(10));
    assertForbidden(() -> links.verify("att1", q.get("u"), q.get("exp"), q.get("sig")));
  }

  private static void assertForbidden(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ChatException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
  }

  private static Map<String, String> query(String url) {
    Map<String, String> q = new HashMap<>();
    for (String kv : URI.create(url).getRawQuery().split("&")) {
      int eq = kv.indexOf('=');
      q.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return q;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
