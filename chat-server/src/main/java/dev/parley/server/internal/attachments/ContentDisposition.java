package dev.parley.server.internal.attachments;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A Content-Disposition header (RFC 6266) for a name an uploader chose: a plain ASCII
 * {@code filename} for old clients and the exact name as UTF-8 in {@code filename*} (RFC 5987).
 * The name is made harmless first: no control or invisible formatting characters (CR/LF, NUL,
 * right-to-left overrides and other bidi controls, zero-width characters), no path separators,
 * whitespace runs collapsed (so {@code "a.png      .html"} shows what it is), no leading dots or
 * trailing dots and spaces, and at most {@value #MAX_CODE_POINTS} code points with the extension
 * kept.
 */
public final class ContentDisposition {
  static final int MAX_CODE_POINTS = 120;
  private static final int MAX_EXTENSION = 16;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ContentDisposition() {
  }

  /** {@code inline} or {@code attachment}, with the sanitised name in both forms. */
  public static String of(boolean inline, String filename) {
    String name = sanitize(filename);
    return (inline ? "inline" : "attachment") + "; filename=\"" + asciiFallback(name)
        + "\"; filename*=UTF-8''" + percentEncode(name);
  }

  /**
   * The name an upload's {@code X-Filename} header carries. HTTP header values are Latin-1 at
   * best, so a name outside ASCII comes as an RFC 5987 {@code ext-value}: {@code UTF-8''} then the
   * percent-encoded UTF-8 bytes ({@code UTF-8''Caf%C3%A9.png}). Anything else is taken as it is;
   * so is an ext-value that is not valid percent-encoded UTF-8. Null stays null.
   */
  public static String fromHeader(String value) {
    if (value == null || !value.regionMatches(true, 0, "UTF-8''", 0, 7)) {
      return value;
    }
    String encoded = value.substring(7);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          return value;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x20 && c < 0x7f) {
        bytes.write(c);
      } else {
        return value;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }

  /** The name as it may be shown or saved. */
  public static String sanitize(String filename) {
    if (filename == null) {
      return "file";
    }
    String s = Normalizer.normalize(filename, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(Math.min(s.length(), 4 * MAX_CODE_POINTS));
    boolean space = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
          || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = true;
        continue;
      }
      if (space && out.length() > 0) {
        out.append(' ');
      }
      space = false;
      if (cp == '/' || cp == '\\' || cp == ':' || cp == '"' || cp == '<' || cp == '>'
          || cp == '|' || cp == '?' || cp == '*') {
        out.append('_');
      } else {
        out.appendCodePoint(cp);
      }
    }
    String name = trim(out.toString());
    if (name.codePointCount(0, name.length()) > MAX_CODE_POINTS) {
      name = shorten(name);
    }
    return name.isEmpty() ? "file" : name;
  }

  private static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
      end--;
    }
    return s.substring(start, end);
  }

  private static String shorten(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
    String base = ext.isEmpty() ? name : name.substring(0, dot);
    int keep = MAX_CODE_POINTS - ext.codePointCount(0, ext.length());
    base = base.substring(0, base.offsetByCodePoints(0, Math.min(keep, base.codePointCount(0, base.length()))));
    return trim(base) + ext;
  }

  private static String asciiFallback(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean safe = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';';
      out.append(safe ? c : '_');
    }
    return out.toString();
  }

  private static String percentEncode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
