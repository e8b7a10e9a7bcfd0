package dev.parley.server.internal.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises the four raster image formats a browser may be shown inline (PNG, JPEG, GIF, WebP)
 * by their magic numbers, never by the Content-Type an uploader declared. Anything else (SVG,
 * HTML, XML, PDF, a file whose declared type lies) is not an image for the purpose of serving.
 */
public final class RasterImages {
  static final int HEAD = 12;

  private RasterImages() {
  }

  /** The media type the file's first bytes prove, or null. Blocks (reads the file). */
  public static String sniff(Path file) throws IOException {
    byte[] b = new byte[HEAD];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(b, 0, HEAD);
    }
    return sniff(b, n);
  }

  static String sniff(byte[] b, int n) {
    if (n >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
      return "image/png";
    }
    if (n >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (n >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
        && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return "image/gif";
    }
    if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    return null;
  }
}
