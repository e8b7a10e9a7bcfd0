package dev.parley.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt password hashes (BouncyCastle's {@link OpenBSDBCrypt}, version {@code 2b}), with a fresh
 * 16-byte salt from {@link SecureRandom} for every hash and a configurable cost (default
 * {@value #DEFAULT_COST}; each step doubles the work).
 *
 * <p><b>Long passwords.</b> bcrypt reads only the first 72 bytes of its input, so two long
 * passwords with the same start would share a hash. A password whose UTF-8 encoding is longer
 * than 72 bytes is therefore first replaced by the base64 of its SHA-256 digest (44 ASCII
 * characters) and that is what bcrypt sees; passwords up to 72 bytes go in as they are. Hashing
 * and checking apply the same rule, so it is invisible to callers, and every byte of a long
 * password counts.
 *
 * <p><b>Unknown users.</b> {@link #burnTime(String)} does the work of one check against a hash
 * of this hasher's cost, so that a login for a user who does not exist takes as long as one with
 * a wrong password and the response time does not tell whether a username is taken.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PasswordHasher {
  /** The default bcrypt cost (log2 of the number of rounds). */
  public static final int DEFAULT_COST = 10;
  /** The lowest cost bcrypt allows; good for tests only. */
  public static final int MIN_COST = 4;
  /** The highest cost bcrypt allows. */
  public static final int MAX_COST = 31;
  /** bcrypt ignores input past this many bytes. */
  static final int BCRYPT_MAX_BYTES = 72;

  private static final String VERSION = "2b";
  private static final int SALT_BYTES = 16;

  private final int cost;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;

  /** A hasher with cost {@value #DEFAULT_COST}. */
  public PasswordHasher() {
    this(DEFAULT_COST);
  }

  /** A hasher with the given cost, from {@value #MIN_COST} to {@value #MAX_COST}. */
  public PasswordHasher(int cost) {
    if (cost < MIN_COST || cost > MAX_COST) {
      throw new IllegalArgumentException("bcrypt cost must be " + MIN_COST + " to " + MAX_COST + ", got " + cost);
    }
    this.cost = cost;
    byte[] unguessable = new byte[SALT_BYTES];
    random.nextBytes(unguessable);
    this.dummyHash = hash(Base64.getEncoder().encodeToString(unguessable));
  }

  /** The bcrypt cost of new hashes. */
  public int cost() {
    return cost;
  }

  /** A new bcrypt hash of {@code password}, such as {@code $2b$10$...} (60 characters). */
  public String hash(String password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] input = bcryptInput(password);
    try {
      return OpenBSDBCrypt.generate(VERSION, input, salt, cost);
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  /**
   * Whether {@code password} matches {@code hash}. False, never an exception, for a null or
   * malformed hash.
   */
  public boolean matches(String password, String hash) {
    Objects.requireNonNull(password, "password");
    if (hash == null) {
      return false;
    }
    byte[] input = bcryptInput(password);
    try {
      return OpenBSDBCrypt.checkPassword(hash, input);
    } catch (RuntimeException malformed) {
      return false;
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  /**
   * Spends as long as {@link #matches} would on a hash of this cost, and always fails. Call it
   * when a login names a user who does not exist.
   */
  public void burnTime(String password) {
    matches(password == null ? "" : password, dummyHash);
  }

  /** The bytes bcrypt sees: the UTF-8 password, or base64(SHA-256) of it if it is longer than 72 bytes. */
  static byte[] bcryptInput(String password) {
    byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= BCRYPT_MAX_BYTES) {
      return utf8;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8);
      return Base64.getEncoder().encode(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }
}
