package dev.parley.server.internal.attachments;

import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation of a JPEG (a phone stores a photo sideways and says how to turn it), which
 * browsers apply when they show an image; a thumbnail is turned the same way. Reads the segments
 * before the first scan only, each bounded by its 16-bit length; anything malformed is
 * orientation 1 (as stored).
 */
final class ExifOrientation {
  private static final int MAX_SEGMENTS = 64;
  private static final int TAG_ORIENTATION = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {
  }

  /** Orientations 5 to 8 turn the image a quarter: width and height swap. */
  static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** The orientation (1 to 8) in a JPEG's first EXIF segment; 1 when there is none. Moves the stream. */
  static int ofJpeg(ImageInputStream in) throws IOException {
    ByteOrder order = in.getByteOrder();
    try {
      in.setByteOrder(ByteOrder.BIG_ENDIAN);
      in.seek(0);
      if (in.readUnsignedShort() != 0xFFD8) {
        return 1;
      }
      for (int i = 0; i < MAX_SEGMENTS; i++) {
        int marker = in.readUnsignedShort();
        if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
          return 1; // not a marker, or the image data starts: no EXIF before it
        }
        int length = in.readUnsignedShort();
        if (length < 2) {
          return 1;
        }
        if (marker == 0xFFE1) {
          byte[] segment = new byte[length - 2];
          in.readFully(segment);
          int o = fromExif(segment);
          if (o != 0) {
            return o;
          }
        } else {
          in.skipBytes(length - 2);
        }
      }
      return 1;
    } catch (EOFException e) {
      return 1;
    } finally {
      in.setByteOrder(order);
    }
  }

  /** The orientation in an APP1 segment's payload, or 0 when it is not EXIF or has none. */
  static int fromExif(byte[] s) {
    if (s.length < 14 || s[0] != 'E' || s[1] != 'x' || s[2] != 'i' || s[3] != 'f' || s[4] != 0
        || s[5] != 0) {
      return 0;
    }
    int tiff = 6;
    boolean little;
    if (s[tiff] == 'I' && s[tiff + 1] == 'I') {
      little = true;
    } else if (s[tiff] == 'M' && s[tiff + 1] == 'M') {
      little = false;
    } else {
      return 0;
    }
    if (u16(s, tiff + 2, little) != 42) {
      return 0;
    }
    long ifd = tiff + u32(s, tiff + 4, little);
    if (ifd < tiff || ifd + 2 > s.length) {
      return 0;
    }
    int entries = u16(s, (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      long e = ifd + 2 + 12L * i;
      if (e + 12 > s.length) {
        return 0;
      }
      int at = (int) e;
      if (u16(s, at, little) == TAG_ORIENTATION && u16(s, at + 2, little) == TYPE_SHORT) {
        int o = u16(s, at + 8, little);
        return o >= 1 && o <= 8 ? o : 0;
      }
    }
    return 0;
  }

  /** The image as a browser shows it under this orientation. */
  static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = swapsSides(orientation);
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, image.getType());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        switch (orientation) {
          case 2 -> out.setRGB(w - 1 - x, y, rgb);
          case 3 -> out.setRGB(w - 1 - x, h - 1 - y, rgb);
          case 4 -> out.setRGB(x, h - 1 - y, rgb);
          case 5 -> out.setRGB(y, x, rgb);
          case 6 -> out.setRGB(h - 1 - y, x, rgb);
          case 7 -> out.setRGB(h - 1 - y, w - 1 - x, rgb);
          default -> out.setRGB(y, w - 1 - x, rgb);
        }
      }
    }
    return out;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int a = b[at] & 0xff;
    int c = b[at + 1] & 0xff;
    return little ? a | c << 8 : a << 8 | c;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long hi = u16(b, little ? at + 2 : at, little);
    long lo = u16(b, little ? at : at + 2, little);
    return hi << 16 | lo;
  }
}
