package dev.parley.server.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small real media files made in the test, so no binary fixtures are needed. */
public final class TestMedia {
  private TestMedia() {
  }

  /** A valid WAV file: 8 kHz, mono, 16 bit, {@code samples} samples of a quiet ramp. */
  public static byte[] wav(int samples) {
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) (i % 200));
    }
    return b.array();
  }

  /** A two-coloured image; with {@code alpha}, its right half is transparent. */
  public static byte[] image(int w, int h, boolean alpha, String format) throws IOException {
    BufferedImage image = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, w / 2, h);
    if (!alpha) {
      g.setColor(Color.BLUE);
      g.fillRect(w / 2, 0, w - w / 2, h);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  /** The PNG signature and an IHDR chunk declaring this size; no pixels. */
  public static byte[] pngHeader(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    DataOutputStream c = new DataOutputStream(chunk);
    c.writeBytes("IHDR");
    c.writeInt(width);
    c.writeInt(height);
    c.write(new byte[] {8, 6, 0, 0, 0});
    byte[] body = chunk.toByteArray();
    data.writeInt(body.length - 4);
    data.write(body);
    CRC32 crc = new CRC32();
    crc.update(body);
    data.writeInt((int) crc.getValue());
    return out.toByteArray();
  }
}
