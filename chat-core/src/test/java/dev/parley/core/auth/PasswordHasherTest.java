package dev.parley.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_COST);

  @Test
  void matchesTheHashedPassword() {
    String hash = hasher.hash("correct horse battery staple");

    assertThat(hasher.matches("correct horse battery staple", hash)).isTrue();
  }

  @Test
  void rejectsAWrongPassword() {
    String hash = hasher.hash("correct horse battery staple");

    assertThat(hasher.matches("correct horse battery stapler", hash)).isFalse();
    assertThat(hasher.matches("", hash)).isFalse();
  }

  @Test
  void writesBcryptWithTheConfiguredCost() {
    assertThat(hasher.hash("password1")).startsWith("$2b$04$").hasSize(60);
    assertThat(new PasswordHasher(5).hash("password1")).startsWith("$2b$05$");
    assertThat(new PasswordHasher().cost()).isEqualTo(10);
  }

  @Test
  void saltsEveryHash() {
    String first = hasher.hash("password1");
    String second = hasher.hash("password1");

    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.matches("password1", first)).isTrue();
    assertThat(hasher.matches("password1", second)).isTrue();
  }

  @Test
  void checksHashesOfAnotherCost() {
    String hash = new PasswordHasher(5).hash("password1");

    assertThat(hasher.matches("password1", hash)).isTrue();
  }

  @Test
  void handlesNonAsciiPasswords() {
    String hash = hasher.hash("pässwörd-日本語-🔐");

    assertThat(hasher.matches("pässwörd-日本語-🔐", hash)).isTrue();
    assertThat(hasher.matches("passwords-日本語-🔐", hash)).isFalse();
  }

  @Test
  void everyByteOfALongPasswordCounts() {
    String prefix = "x".repeat(100);
    String hash = hasher.hash(prefix + "a");

    assertThat(hasher.matches(prefix + "a", hash)).isTrue();
    assertThat(hasher.matches(prefix + "b", hash)).isFalse();
    assertThat(hasher.matches(prefix, hash)).isFalse();
  }

  @Test
  void passwordsAtTheBcryptLimitAreUsedAsTheyAre() {
    String exactly72 = "y".repeat(72);
    String hash = hasher.hash(exactly72);

    assertThat(PasswordHasher.bcryptInput(exactly72)).hasSize(72);
    assertThat(PasswordHasher.bcryptInput(exactly72 + "z")).hasSize(44);
    assertThat(hasher.matches(exactly72, hash)).isTrue();
    assertThat(hasher.matches(exactly72 + "z", hash)).isFalse();
  }

  @Test
  void longMultiByteCharactersArePreHashed() {
    String long3ByteChars = "日".repeat(25); // 75 UTF-8 bytes
    String hash = hasher.hash(long3ByteChars);

    assertThat(hasher.matches(long3ByteChars, hash)).isTrue();
    assertThat(hasher.matches("日".repeat(24) + "本", hash)).isFalse();
  }

  @Test
  void malformedHashDoesNotMatchAndDoesNotThrow() {
    assertThat(hasher.matches("password1", null)).isFalse();
    assertThat(hasher.matches("password1", "")).isFalse();
    assertThat(hasher.matches("password1", "not a hash")).isFalse();
    assertThat(hasher.matches("password1", "$2b$04$tooshort")).isFalse();
    assertThat(hasher.matches("password1", "$9z$04$" + "a".repeat(53))).isFalse();
    assertThat(hasher.matches("password1", "$2b$99$" + "a".repeat(53))).isFalse();
    assertThat(hasher.matches("password1", "$2b$04$" + "!".repeat(53))).isFalse();
  }

  @Test
  void burnTimeNeverFails() {
    hasher.burnTime("whatever");
    hasher.burnTime(null);
    hasher.burnTime("z".repeat(500));
  }

  @Test
  void refusesCostOutsideBcryptRange() {
    assertThatThrownBy(() -> new PasswordHasher(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordHasher(32)).isInstanceOf(IllegalArgumentException.class);
  }
}
