package dev.parley.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretsTest {
  @TempDir
  Path temp;

  @Test
  void createsASecretOfAtLeast32RandomBytes() throws Exception {
    byte[] secret = JwtSecrets.loadOrCreate(temp);

    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    String stored = Files.readString(temp.resolve("jwt-secret"), StandardCharsets.US_ASCII).strip();
    assertThat(Base64.getDecoder().decode(stored)).isEqualTo(secret);
  }

  @Test
  void reusesTheSecretAcrossCalls() {
    byte[] first = JwtSecrets.loadOrCreate(temp);
    byte[] second = JwtSecrets.loadOrCreate(temp);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentDataDirsGetDifferentSecrets() {
    assertThat(JwtSecrets.loadOrCreate(temp.resolve("a"))).isNotEqualTo(JwtSecrets.loadOrCreate(temp.resolve("b")));
  }

  @Test
  void createsTheSecretOwnerOnly() throws Exception {
    assumeTrue(Files.getFileStore(temp).supportsFileAttributeView("posix"), "file system has no POSIX permissions");

    JwtSecrets.loadOrCreate(temp);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("jwt-secret"))))
        .isEqualTo("rw-------");
  }

  @Test
  void createsAMissingDataDirectory() {
    Path dataDir = temp.resolve("nested/data");

    byte[] secret = JwtSecrets.loadOrCreate(dataDir);

    assertThat(dataDir.resolve("jwt-secret")).exists();
    assertThat(JwtSecrets.loadOrCreate(dataDir)).isEqualTo(secret);
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws Exception {
    JwtSecrets.loadOrCreate(temp);

    try (var files = Files.list(temp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("jwt-secret");
    }
  }

  @Test
  void readsAnExistingSecretFile() throws Exception {
    byte[] secret = new byte[40];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) i;
    }
    Files.writeString(temp.resolve("jwt-secret"), Base64.getEncoder().encodeToString(secret) + "\n");

    assertThat(JwtSecrets.loadOrCreate(temp)).isEqualTo(secret);
  }

  @Test
  void rejectsAShortSecretFile() throws Exception {
    Files.writeString(temp.resolve("jwt-secret"), Base64.getEncoder().encodeToString(new byte[16]));

    assertThatThrownBy(() -> JwtSecrets.loadOrCreate(temp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void rejectsASecretFileThatIsNotBase64() throws Exception {
    Files.writeString(temp.resolve("jwt-secret"), "this is *not* base64 at all, is it?!");

    assertThatThrownBy(() -> JwtSecrets.loadOrCreate(temp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not base64");
  }

  @Test
  void concurrentCallersGetTheSameSecret() throws Exception {
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Callable<byte[]> call = () -> {
          start.await();
          return JwtSecrets.loadOrCreate(temp);
        };
        results.add(pool.submit(call));
      }
      start.countDown();
      byte[] first = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<byte[]> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
      }
      assertThat(JwtSecrets.loadOrCreate(temp)).isEqualTo(first);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void secretStringBecomesItsUtf8Bytes() {
    String secret = "ünïcödé-secret-that-is-long-enough!";

    assertThat(JwtSecrets.fromString(secret)).isEqualTo(secret.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsAShortSecretStringAndSaysWhy() {
    assertThatThrownBy(() -> JwtSecrets.fromString("31-bytes-long-secret-0123456789"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes")
        .hasMessageContaining("has 31");
    assertThat(JwtSecrets.fromString("32-bytes-long-secret-0123456789a")).hasSize(32);
  }

  @Test
  void aConfiguredSecretWinsOverTheFile() {
    String configured = "configured-secret-long-enough-0123456789";

    assertThat(JwtSecrets.resolve(configured, temp)).isEqualTo(configured.getBytes(StandardCharsets.UTF_8));
    assertThat(temp.resolve("jwt-secret")).doesNotExist();
    assertThat(JwtSecrets.resolve("  ", temp)).isEqualTo(JwtSecrets.loadOrCreate(temp));
  }
}
