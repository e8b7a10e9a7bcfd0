package dev.parley.server.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.testing.TestMedia;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Thumbnails of real images made here with ImageIO, and of hostile bytes. */
class ThumbnailerTest {
  private final Thumbnailer thumbnailer = new Thumbnailer(320, Thumbnailer.DEFAULT_PIXEL_LIMIT);

  @Test
  void aLargePhotoBecomesASmallJpegOfTheSameShape() throws Exception {
    byte[] photo = encode(halves(1600, 1200, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "jpeg");

    Thumbnailer.Thumbnail t = thumbnailer.make(new ByteArrayInputStream(photo));

    assertThat(t.contentType()).isEqualTo("image/jpeg");
    assertThat(t.width()).isEqualTo(320);
    assertThat(t.height()).isEqualTo(240);
    BufferedImage back = decode(t.bytes(), "image/jpeg");
    assertThat(back.getWidth()).isEqualTo(320);
    assertThat(back.getHeight()).isEqualTo(240);
    assertThat(new Color(back.getRGB(40, 120)).getRed()).isGreaterThan(200);
    assertThat(new Color(back.getRGB(280, 120)).getBlue()).isGreaterThan(200);
    assertThat(thumbnailer.size(new ByteArrayInputStream(photo)))
        .isEqualTo(new Thumbnailer.Size(1600, 1200, true));
    assertThat(new Thumbnailer().make(new ByteArrayInputStream(photo)).width())
        .isEqualTo(Thumbnailer.DEFAULT_MAX_SIDE).isEqualTo(640);
  }

  @Test
  void squaresKeepTheCentreOfAWideOrTallImage() throws Exception {
    // 900 x 300: red, green, blue thirds; the square is the green middle
    BufferedImage wide = new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = wide.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 300, 300);
    g.setColor(Color.GREEN);
    g.fillRect(300, 0, 300, 300);
    g.setColor(Color.BLUE);
    g.fillRect(600, 0, 300, 300);
    g.dispose();
    Thumbnailer squares = Thumbnailer.squares(128, Thumbnailer.DEFAULT_PIXEL_LIMIT);

    Thumbnailer.Thumbnail t = squares.make(new ByteArrayInputStream(encode(wide, "png")));

    assertThat(t.width()).isEqualTo(128);
    assertThat(t.height()).isEqualTo(128);
    BufferedImage back = decode(t.bytes(), t.contentType());
    assertThat(back.getWidth()).isEqualTo(128);
    assertThat(back.getHeight()).isEqualTo(128);
    for (int x : new int[] {4, 64, 123}) {
      Color c = new Color(back.getRGB(x, 64));
      assertThat(c.getGreen()).isGreaterThan(200);
      assertThat(c.getRed()).isLessThan(60);
      assertThat(c.getBlue()).isLessThan(60);
    }
    // a small one is cropped but not enlarged
    Thumbnailer.Thumbnail small = squares.make(new ByteArrayInputStream(
        encode(halves(40, 90, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "png")));
    assertThat(small.width()).isEqualTo(40);
    assertThat(small.height()).isEqualTo(40);
  }

  @Test
  void aTransparentPngStaysATransparentPng() throws Exception {
    BufferedImage image = new BufferedImage(400, 100, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.GREEN);
    g.fillRect(0, 0, 200, 100); // the right half stays transparent
    g.dispose();

    Thumbnailer.Thumbnail t = thumbnailer.make(new ByteArrayInputStream(encode(image, "png")));

    assertThat(t.contentType()).isEqualTo("image/png");
    BufferedImage back = decode(t.bytes(), "image/png");
    assertThat(back.getWidth()).isEqualTo(320);
    assertThat(back.getHeight()).isEqualTo(80);
    assertThat(back.getColorModel().hasAlpha()).isTrue();
    assertThat(back.getRGB(300, 40) >>> 24).isZero();
    assertThat(back.getRGB(20, 40) >>> 24).isEqualTo(255);
  }

  @Test
  void aSmallGifIsEncodedAgainButNotEnlarged() throws Exception {
    byte[] gif = encode(halves(50, 30, Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB), "gif");

    Thumbnailer.Thumbnail t = thumbnailer.make(new ByteArrayInputStream(gif));

    assertThat(t.width()).isEqualTo(50);
    assertThat(t.height()).isEqualTo(30);
    assertThat(t.bytes()).isNotEqualTo(gif);
    assertThat(RasterImages.sniff(t.bytes(), t.bytes().length)).isEqualTo(t.contentType());
    assertThat(decode(t.bytes(), t.contentType()).getWidth()).isEqualTo(50);
  }

  @Test
  void aSidewaysPhotoIsTurnedAsItsExifSays() throws Exception {
    // stored 400x200, left half red; orientation 6 shows it turned a quarter clockwise
    byte[] stored = encode(halves(400, 200, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "jpeg");
    byte[] photo = withExifOrientation(stored, 6);

    assertThat(thumbnailer.size(new ByteArrayInputStream(photo)))
        .isEqualTo(new Thumbnailer.Size(200, 400, true));
    Thumbnailer.Thumbnail t = thumbnailer.make(new ByteArrayInputStream(photo));
    assertThat(t.width()).isEqualTo(160);
    assertThat(t.height()).isEqualTo(320);
    BufferedImage back = decode(t.bytes(), "image/jpeg");
    assertThat(new Color(back.getRGB(80, 40)).getRed()).isGreaterThan(200);
    assertThat(new Color(back.getRGB(80, 280)).getBlue()).isGreaterThan(200);
  }

  @Test
  void refusesADecompressionBombFromItsHeaderAlone() throws Exception {
    // a PNG that declares 100000 x 100000 pixels (40 GB decoded) in a few dozen bytes
    byte[] bomb = TestMedia.pngHeader(100_000, 100_000);

    assertThatThrownBy(() -> thumbnailer.make(new ByteArrayInputStream(bomb)))
        .isInstanceOf(Thumbnailer.Refused.class).hasMessageContaining("over the limit");
    assertThat(thumbnailer.size(new ByteArrayInputStream(bomb)))
        .isEqualTo(new Thumbnailer.Size(100_000, 100_000, false));

    // a GIF whose first frame declares 65535 x 65535
    byte[] gif = gifHeader(65_535, 65_535);
    assertThatThrownBy(() -> thumbnailer.make(new ByteArrayInputStream(gif)))
        .isInstanceOf(Thumbnailer.Refused.class).hasMessageContaining("over the limit");
  }

  @Test
  void thePixelLimitIsASetting() throws Exception {
    byte[] png = encode(halves(100, 100, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "png");
    Thumbnailer strict = new Thumbnailer(320, 9_999);

    assertThatThrownBy(() -> strict.make(new ByteArrayInputStream(png)))
        .isInstanceOf(Thumbnailer.Refused.class);
    assertThat(strict.size(new ByteArrayInputStream(png)).thumbnailable()).isFalse();
    assertThat(new Thumbnailer(320, 10_000).make(new ByteArrayInputStream(png)).width()).isEqualTo(100);
  }

  @Test
  void refusesCorruptImagesAndFilesThatOnlyClaimToBeImages() throws Exception {
    byte[] png = encode(halves(300, 300, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "png");
    byte[] corrupt = png.clone();
    for (int i = 60; i < corrupt.length - 20; i++) {
      corrupt[i] = (byte) (i * 31); // the compressed pixels become noise; the header stays
    }
    byte[] truncatedHeader = Arrays.copyOf(png, 20);
    byte[] html = "<!doctype html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
    byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8);
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII); // no reader in JDK 17

    for (byte[] bad : new byte[][] {corrupt, truncatedHeader, html, svg, webp, new byte[0]}) {
      assertThatThrownBy(() -> thumbnailer.make(new ByteArrayInputStream(bad)))
          .isInstanceOf(Thumbnailer.Refused.class);
    }
    assertThat(thumbnailer.size(new ByteArrayInputStream(html))).isNull();
    assertThat(thumbnailer.size(new ByteArrayInputStream(truncatedHeader))).isNull();
  }

  @Test
  void aFailingStoreIsNotMistakenForACorruptImage() throws Exception {
    byte[] png = encode(halves(600, 600, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB), "png");
    InputStream failing = new InputStream() {
      private int at;

      @Override
      public int read() throws IOException {
        if (at >= 100) {
          throw new IOException("connection to the database lost");
        }
        return png[at++] & 0xff;
      }
    };

    assertThatThrownBy(() -> thumbnailer.make(failing))
        .isInstanceOf(IOException.class).hasMessageContaining("connection to the database lost");
  }

  @Test
  void readsTheExifOrientationAndIgnoresMalformedExif() {
    assertThat(ExifOrientation.fromExif(exif(8, true))).isEqualTo(8);
    assertThat(ExifOrientation.fromExif(exif(3, false))).isEqualTo(3);
    assertThat(ExifOrientation.fromExif(exif(9, false))).isZero();
    byte[] cut = Arrays.copyOf(exif(6, false), 20);
    assertThat(ExifOrientation.fromExif(cut)).isZero();
    assertThat(ExifOrientation.fromExif("Exif\0\0MM\0*\u007f\u007f\u007f\u007f".getBytes(StandardCharsets.ISO_8859_1))).isZero();
  }

  private static BufferedImage halves(int w, int h, Color left, Color right, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    Graphics2D g = image.createGraphics();
    g.setColor(left);
    g.fillRect(0, 0, w / 2, h);
    g.setColor(right);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).as("a writer for " + format).isTrue();
    return out.toByteArray();
  }

  private static BufferedImage decode(byte[] bytes, String type) throws IOException {
    assertThat(RasterImages.sniff(bytes, bytes.length)).isEqualTo(type);
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  /** A GIF's header, screen descriptor and first image descriptor declaring this size. */
  private static byte[] gifHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
    writeLe16(out, width);
    writeLe16(out, height);
    out.write(0); // no global colour table
    out.write(0);
    out.write(0);
    out.write(0x2c); // image descriptor
    writeLe16(out, 0);
    writeLe16(out, 0);
    writeLe16(out, width);
    writeLe16(out, height);
    out.write(0);
    out.write(8); // LZW minimum code size, then nothing
    return out.toByteArray();
  }

  private static void writeLe16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xff);
    out.write(v >>> 8 & 0xff);
  }

  /** An APP1 payload: "Exif", a TIFF header and one IFD entry, the orientation. */
  private static byte[] exif(int orientation, boolean little) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes((little ? "II" : "MM").getBytes(StandardCharsets.US_ASCII));
    write16(out, 42, little);
    write32(out, 8, little); // IFD0 right after the header
    write16(out, 1, little);
    write16(out, 0x0112, little);
    write16(out, 3, little); // SHORT
    write32(out, 1, little);
    write16(out, orientation, little);
    write16(out, 0, little);
    write32(out, 0, little); // no next IFD
    return out.toByteArray();
  }

  private static void write16(ByteArrayOutputStream out, int v, boolean little) {
    if (little) {
      out.write(v & 0xff);
      out.write(v >>> 8 & 0xff);
    } else {
      out.write(v >>> 8 & 0xff);
      out.write(v & 0xff);
    }
  }

  private static void write32(ByteArrayOutputStream out, int v, boolean little) {
    if (little) {
      write16(out, v & 0xffff, true);
      write16(out, v >>> 16, true);
    } else {
      write16(out, v >>> 16, false);
      write16(out, v & 0xffff, false);
    }
  }

  /** The JPEG with an EXIF segment saying this orientation right after its start marker. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] payload = exif(orientation, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xff);
    out.write(0xe1);
    write16(out, payload.length + 2, false);
    out.writeBytes(payload);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
