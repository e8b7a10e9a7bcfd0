package dev.parley.server.internal.attachments;

/**
 * Recognises audio and video a browser plays in a {@code <video>} or {@code <audio>} element (WAV,
 * WebM/Matroska, Ogg, MP4, MP3, FLAC) by their magic numbers, never by a declared type. A media
 * element never runs script, and the user-content headers (sandbox CSP, nosniff) still apply when
 * the URL is opened on its own, so these may be served inline; anything else stays a download.
 */
public final class PlayableMedia {
  private PlayableMedia() {
  }

  /** The media type the first bytes prove ({@code audio/...} or {@code video/...}), or null. */
  static String sniff(byte[] b, int n) {
    if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'A' && b[10] == 'V' && b[11] == 'E') {
      return "audio/wav";
    }
    if (n >= 4 && (b[0] & 0xff) == 0x1a && (b[1] & 0xff) == 0x45 && (b[2] & 0xff) == 0xdf
        && (b[3] & 0xff) == 0xa3) {
      return "video/webm";
    }
    if (n >= 4 && b[0] == 'O' && b[1] == 'g' && b[2] == 'g' && b[3] == 'S') {
      return "audio/ogg";
    }
    if (n >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return b[8] == 'M' && b[9] == '4' && b[10] == 'A' ? "audio/mp4" : "video/mp4";
    }
    if (n >= 4 && b[0] == 'f' && b[1] == 'L' && b[2] == 'a' && b[3] == 'C') {
      return "audio/flac";
    }
    if (n >= 3 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
      return "audio/mpeg";
    }
    return null;
  }

  /** {@code "image"}, {@code "audio"} or {@code "video"} for a proven type, else null. */
  public static String kind(String provenType) {
    if (provenType == null) {
      return null;
    }
    int slash = provenType.indexOf('/');
    return provenType.substring(0, slash);
  }
}
