package dev.parley.core.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * Blobs as files in a folder of this machine, one per key, written to {@code tmp/} first and
 * moved in place when finished. The default: right for one node, or for nodes that share the
 * folder. Keys must be plain ids (letters, digits, {@code -} and {@code _}).
 */
public final class FileBlobStore implements BlobStore {
  private final Path dir;
  private final Path tmp;

  public FileBlobStore(Path dir) {
    this.dir = dir;
    this.tmp = dir.resolve("tmp");
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create attachment folder " + dir, e);
    }
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  @Override
  public Writer create(String key) throws IOException {
    Path target = file(key);
    Path part = Files.createTempFile(tmp, "upload", ".part");
    FileChannel channel;
    try {
      channel = FileChannel.open(part, StandardOpenOption.WRITE);
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    return new Writer() {
      @Override
      public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }

      @Override
      public void finish() throws IOException {
        try (channel) {
          channel.force(false);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      }

      @Override
      public void abort() {
        try {
          channel.close();
        } catch (IOException ignored) {
          // deleted next
        }
        deleteQuietly(part);
      }
    };
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    FileChannel channel = FileChannel.open(file(key), StandardOpenOption.READ);
    channel.position(offset);
    return Channels.newInputStream(channel);
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(file(key));
  }

  @Override
  public int deleteUnfinished(long startedBefore) throws IOException {
    int removed = 0;
    try (Stream<Path> parts = Files.list(tmp)) {
      for (Path p : (Iterable<Path>) parts::iterator) {
        try {
          if (Files.getLastModifiedTime(p).compareTo(FileTime.fromMillis(startedBefore)) < 0
              && Files.deleteIfExists(p)) {
            removed++;
          }
        } catch (NoSuchFileException ignored) {
          // finished or discarded meanwhile
        }
      }
    }
    return removed;
  }

  @Override
  public Path localFile(String key) {
    Path f = file(key);
    return Files.isRegularFile(f) ? f : null;
  }

  @Override
  public String describe() {
    return "disk (" + dir + ")";
  }

  private Path file(String key) {
    if (!validKey(key)) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return dir.resolve(key);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // swept later by deleteUnfinished
    }
  }

  /** A key is an id, never a path. */
  private static boolean validKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 128) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
