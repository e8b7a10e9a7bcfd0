package dev.parley.server.internal.attachments;

import dev.parley.server.ServerConfig;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes a small copy of an uploaded image: decoded by the JDK's ImageIO, scaled so that its
 * longest side is at most {@code maxSide} pixels, turned upright by its EXIF orientation, and
 * encoded again by the server (JPEG, or PNG when it has transparency), so no byte of the upload
 * reaches a browser this way. Only PNG, JPEG and GIF, proven by their magic numbers (the JDK 17
 * reads no WebP); a GIF's first frame.
 *
 * <p>Uploaded bytes are hostile. The width and height are read from the header before anything
 * is decoded, and an image of more than {@code pixelLimit} pixels is refused (a decompression
 * bomb declares a huge size in a few bytes). A large image is decoded with subsampling, so the
 * decoded copy is never much more than twice the thumbnail: the heap a decode needs does not
 * grow with the image. Corrupt or truncated data is a {@link Refused}, never another exception.
 * Blocks and uses the CPU: run it on a worker, never an event loop. Immutable and thread-safe.
 *
 * <p>{@link #squares} makes square pictures instead (profile pictures): the centred square of
 * the image, at most {@code side} pixels wide.
 */
public final class Thumbnailer {
  /**
   * The longest side of a thumbnail by default, in pixels: the web client shows images in a box
   * of up to 360 x 260 CSS pixels, which takes about twice that many on a high-density screen.
   */
  public static final int DEFAULT_MAX_SIDE = 640;
  /** The largest image (width times height) the server decodes by default: 40 megapixels. */
  public static final long DEFAULT_PIXEL_LIMIT = ServerConfig.DEFAULT_IMAGE_PIXEL_LIMIT;
  private static final float JPEG_QUALITY = 0.85f;

  private final int maxSide;
  private final long pixelLimit;
  private final boolean square;

  public Thumbnailer(int maxSide, long pixelLimit) {
    this(maxSide, pixelLimit, false);
  }

  private Thumbnailer(int maxSide, long pixelLimit, boolean square) {
    if (maxSide < 1 || pixelLimit < 1) {
      throw new IllegalArgumentException("thumbnail side and pixel limit must be positive");
    }
    this.maxSide = maxSide;
    this.pixelLimit = pixelLimit;
    this.square = square;
  }

  /** Makes the centred square of each image, at most {@code side} x {@code side} pixels. */
  public static Thumbnailer squares(int side, long pixelLimit) {
    return new Thumbnailer(side, pixelLimit, true);
  }

  /** With the defaults. */
  public Thumbnailer() {
    this(DEFAULT_MAX_SIDE, DEFAULT_PIXEL_LIMIT);
  }

  /**
   * An image's size as a browser shows it (EXIF orientation applied), and whether this server
   * makes thumbnails of it (not when it is over the pixel limit).
   */
  public record Size(int width, int height, boolean thumbnailable) {
  }

  /** A thumbnail: the encoded bytes, their type ({@code image/jpeg} or {@code image/png}) and size. */
  public record Thumbnail(byte[] bytes, String contentType, int width, int height) {
  }

  /** Why an upload has no thumbnail; its message is for logs. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The size of the image {@code in} holds, read from its header only (nothing is decoded), or
   * null when it is not a PNG, JPEG or GIF whose header the JDK reads. Reads as little of the
   * stream as the header needs; the caller closes it.
   */
  public Size size(InputStream in) throws IOException {
    Watched watched = new Watched(in);
    try (ImageInputStream iis = new MemoryCacheImageInputStream(watched)) {
      Header header = header(iis);
      header.reader.dispose();
      return new Size(header.shownWidth(), header.shownHeight(),
          (long) header.width * header.height <= pixelLimit);
    } catch (Refused e) {
      watched.rethrow();
      return null;
    }
  }

  /**
   * A thumbnail of the image {@code in} holds; the caller closes the stream. A failure to read
   * the stream itself stays an {@link IOException} (ImageIO would report it as corrupt data).
   */
  public Thumbnail make(InputStream in) throws IOException, Refused {
    Watched watched = new Watched(in);
    try {
      return make(watched);
    } catch (Refused e) {
      watched.rethrow();
      throw e;
    }
  }

  private Thumbnail make(Watched in) throws IOException, Refused {
    try (ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
      Header header = header(iis);
      try {
        if ((long) header.width * header.height > pixelLimit) {
          throw new Refused("image of " + header.width + "x" + header.height
              + " pixels is over the limit of " + pixelLimit);
        }
        // the side that must end up no longer than maxSide: the longest, or a square's
        int fitted = square ? Math.min(header.width, header.height) : Math.max(header.width, header.height);
        BufferedImage decoded = decode(header, fitted);
        if (square) {
          decoded = centredSquare(decoded);
        }
        double f = Math.min(1.0, (double) maxSide / fitted);
        int w = Math.max(1, (int) Math.round((square ? fitted : header.width) * f));
        int h = Math.max(1, (int) Math.round((square ? fitted : header.height) * f));
        boolean alpha = decoded.getColorModel().hasAlpha();
        BufferedImage small = ExifOrientation.apply(scale(decoded, w, h, alpha), header.orientation);
        return alpha
            ? new Thumbnail(encode(small, "png"), "image/png", small.getWidth(), small.getHeight())
            : new Thumbnail(encode(small, "jpeg"), "image/jpeg", small.getWidth(), small.getHeight());
      } finally {
        header.reader.dispose();
      }
    }
  }

  /** What the header says; {@code reader} is ready to decode image 0. */
  private record Header(ImageReader reader, int width, int height, int orientation) {
    int shownWidth() {
      return ExifOrientation.swapsSides(orientation) ? height : width;
    }

    int shownHeight() {
      return ExifOrientation.swapsSides(orientation) ? width : height;
    }
  }

  private static Header header(ImageInputStream iis) throws IOException, Refused {
    byte[] head = new byte[RasterImages.HEAD];
    int n = 0;
    for (int r; n < head.length && (r = iis.read(head, n, head.length - n)) > 0; ) {
      n += r; // a stream may hand over fewer bytes than asked
    }
    String type = RasterImages.sniff(head, n);
    if (type == null) {
      throw new Refused("not a PNG, JPEG, GIF or WebP image");
    }
    int orientation = type.equals("image/jpeg") ? ExifOrientation.ofJpeg(iis) : 1;
    iis.seek(0);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type);
    if (!readers.hasNext()) {
      throw new Refused("no reader for " + type + " in this JDK");
    }
    ImageReader reader = readers.next();
    boolean ready = false;
    try {
      reader.setInput(iis, true, true); // forward only, no metadata: the cache stays small
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width < 1 || height < 1) {
        throw new Refused("image header says " + width + "x" + height);
      }
      ready = true;
      return new Header(reader, width, height, orientation);
    } catch (IIOException | RuntimeException e) {
      throw new Refused("unreadable image header: " + e);
    } finally {
      if (!ready) {
        reader.dispose();
      }
    }
  }

  /** Decodes image 0, subsampled so that its side {@code fitted} stays at least twice maxSide. */
  private BufferedImage decode(Header header, int fitted) throws IOException, Refused {
    ImageReadParam param = header.reader.getDefaultReadParam();
    // decode at no less than twice the thumbnail's size, then scale down smoothly
    int step = Math.max(1, fitted / (2 * maxSide));
    param.setSourceSubsampling(step, step, 0, 0);
    try {
      return header.reader.read(0, param);
    } catch (IIOException | RuntimeException e) {
      // ImageIO reports corrupt data as IIOException and, in some decoders, as runtime exceptions
      throw new Refused("corrupt image: " + e);
    }
  }

  private static BufferedImage centredSquare(BufferedImage image) {
    int side = Math.min(image.getWidth(), image.getHeight());
    return image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
  }

  /** Halves the image while that stays above the target, then draws it at the target size. */
  private static BufferedImage scale(BufferedImage image, int width, int height, boolean alpha) {
    BufferedImage current = image;
    while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
      current = draw(current, current.getWidth() / 2, current.getHeight() / 2, alpha);
    }
    return draw(current, width, height, alpha);
  }

  private static BufferedImage draw(BufferedImage image, int width, int height, boolean alpha) {
    BufferedImage out = new BufferedImage(width, height,
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Remembers a failure of the stream itself, which ImageIO would report as corrupt data. */
  private static final class Watched extends FilterInputStream {
    private IOException failure;

    Watched(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    void rethrow() throws IOException {
      if (failure != null) {
        throw failure;
      }
    }
  }
}
