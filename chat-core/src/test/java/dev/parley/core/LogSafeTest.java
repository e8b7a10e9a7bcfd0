package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void hidesPasswordsInUserInfoAndParameters() {
    assertThat(LogSafe.url("redis://:s3cret@cache:6379/0")).isEqualTo("redis://:***@cache:6379/0");
    assertThat(LogSafe.url("postgresql://chat:s3cret@db/chat")).isEqualTo("postgresql://chat:***@db/chat");
    assertThat(LogSafe.url("jdbc:postgresql://db/chat?user=chat&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/chat?user=chat&password=***&ssl=true");
    assertThat(LogSafe.url("jdbc:sqlserver://db;PASSWORD=s3cret;user=chat"))
        .isEqualTo("jdbc:sqlserver://db;PASSWORD=***;user=chat");
  }

  @Test
  void keepsWhatIsNoSecret() {
    assertThat(LogSafe.url("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    assertThat(LogSafe.url("redis://chat@cache:6379")).isEqualTo("redis://chat@cache:6379");
    assertThat(LogSafe.url("jdbc:sqlite:./data/chat.db")).isEqualTo("jdbc:sqlite:./data/chat.db");
    assertThat(LogSafe.url(null)).isNull();
  }
}
