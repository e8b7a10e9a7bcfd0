package dev.parley.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the JWT secret comes from: a string given by flag or environment ({@link #fromString}), or
 * the file {@code <dataDir>/jwt-secret}, created once with random bytes ({@link #loadOrCreate}).
 * Every secret must be at least {@link #MIN_SECRET_BYTES} bytes, the size of an HS256 key.
 *
 * <p>The file holds the secret in base64 on one line. On file systems with POSIX permissions it
 * is created {@code rw-------} from the start (never readable by others, not even briefly); on
 * others (Windows) it gets the directory's default access rights. It is written to a temporary
 * file first and then linked into place, so two processes starting at once on the same data
 * directory end up with the same, complete secret.
 */
public final class JwtSecrets {
  /** The shortest secret accepted, in bytes. */
  public static final int MIN_SECRET_BYTES = 32;
  /** The name of the secret file inside the data directory. */
  public static final String FILE_NAME = "jwt-secret";
  /** Size of a generated secret, in bytes. */
  static final int GENERATED_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(JwtSecrets.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private JwtSecrets() {
  }

  /**
   * The secret to use: {@code configured} (a flag or environment value) as UTF-8 bytes if it is
   * neither null nor blank, otherwise the one in {@code dataDir}, created if need be.
   */
  public static byte[] resolve(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return fromString(configured);
    }
    return loadOrCreate(dataDir);
  }

  /**
   * The UTF-8 bytes of a secret given as a string.
   *
   * @throws IllegalArgumentException if they are fewer than {@link #MIN_SECRET_BYTES}
   */
  public static byte[] fromString(String secret) {
    Objects.requireNonNull(secret, "secret");
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    requireStrong(bytes);
    return bytes;
  }

  /**
   * Reads {@code <dataDir>/jwt-secret}, or creates it (and {@code dataDir}) with
   * {@link #GENERATED_BYTES} random bytes if it does not exist. Later calls and later processes
   * get the same secret.
   *
   * @throws IllegalArgumentException if the file holds a secret shorter than {@link #MIN_SECRET_BYTES}
   * @throws IllegalStateException if the file is not base64
   * @throws UncheckedIOException if the file or directory cannot be read or written
   */
  public static byte[] loadOrCreate(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return read(file);
      }
      Files.createDirectories(dataDir);
      return create(dataDir, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT secret " + file, e);
    }
  }

  /** Throws an {@link IllegalArgumentException} that says why if {@code secret} is too short for HS256. */
  static void requireStrong(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES
          + " bytes (256 bits, the HS256 key size) but has " + secret.length
          + "; generate one with e.g. `openssl rand -base64 48`");
    }
  }

  private static byte[] create(Path dataDir, Path file) throws IOException {
    byte[] secret = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(secret);
    byte[] line = (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
    boolean posix = Files.getFileStore(dataDir).supportsFileAttributeView("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dataDir, "." + FILE_NAME + "-", ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (!publish(temp, file)) {
        return read(file); // another process created it first: use theirs
      }
      LOG.info("Created a new JWT secret in {}", file);
      return secret;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Puts {@code temp} in place as {@code file} unless that exists; false if it did. */
  private static boolean publish(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException noHardLinks) {
      try {
        Files.move(temp, file);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
  }

  private static byte[] read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the JWT secret file " + file + " is not base64; delete it to get a new one"
          + " (this signs every user out)", e);
    }
    requireStrong(secret);
    warnIfShared(file);
    return secret;
  }

  private static void warnIfShared(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      LOG.warn("The JWT secret {} is readable by others ({}); run chmod 600 on it",
          file, PosixFilePermissions.toString(permissions));
    }
  }
}
