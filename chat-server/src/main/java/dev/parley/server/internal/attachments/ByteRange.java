package dev.parley.server.internal.attachments;

import java.util.Locale;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 section 14), resolved against a size:
 * {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. A header that is not a
 * single bytes range (several ranges, another unit, garbage) is ignored and the whole body is sent,
 * as the RFC allows; a well-formed range that starts past the end is unsatisfiable (416).
 *
 * @param start the first byte
 * @param length how many bytes, at least one
 */
public record ByteRange(long start, long length) {
  /** What a Range header asks for. */
  public sealed interface Request permits Whole, Partial, Unsatisfiable {
  }

  /** No usable range: send everything (200). */
  public record Whole() implements Request {
  }

  /** Send this range (206). */
  public record Partial(ByteRange range) implements Request {
  }

  /** A range outside the body (416). */
  public record Unsatisfiable() implements Request {
  }

  /** The {@code Content-Range} value of this range of a body of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + start + "-" + (start + length - 1) + "/" + size;
  }

  /** The {@code Content-Range} value of a 416 answer. */
  public static String unsatisfied(long size) {
    return "bytes */" + size;
  }

  /** Resolves a Range header (null: none) against a body of {@code size} bytes. */
  public static Request parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return new Whole();
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    Long a = digits(first);
    Long b = digits(last);
    if (first.isEmpty()) {
      if (b == null) {
        return new Whole();
      }
      if (b == 0 || size == 0) {
        return new Unsatisfiable();
      }
      long n = Math.min(b, size);
      return new Partial(new ByteRange(size - n, n));
    }
    if (a == null || (!last.isEmpty() && (b == null || b < a))) {
      return new Whole();
    }
    if (a >= size) {
      return new Unsatisfiable();
    }
    long end = b == null ? size - 1 : Math.min(b, size - 1);
    return new Partial(new ByteRange(a, end - a + 1));
  }

  private static Long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(s);
  }
}
