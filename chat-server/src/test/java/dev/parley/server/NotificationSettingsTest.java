package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.notifications.PushSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of issue 17 and their validation (the picocli flags map onto these setters). */
class NotificationSettingsTest {
  private static ServerConfig parse(String... args) {
    ServerConfig.Builder b = ServerConfig.builder();
    java.util.List<String> hooks = new java.util.ArrayList<>();
    String vapidPublic = null;
    String vapidPrivate = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--webhook" -> hooks.addAll(List.of(args[++i].split(",")));
        case "--webhook-secret" -> b.webhookSecret(args[++i]);
        case "--push-allow-local" -> b.pushAllowLocal(true);
        case "--push-subject" -> b.pushSubject(args[++i]);
        case "--vapid-public-key" -> vapidPublic = args[++i];
        case "--vapid-private-key" -> vapidPrivate = args[++i];
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    return b.webhooks(hooks).vapidKeys(vapidPublic, vapidPrivate).build();
  }

  @Test
  void defaults() {
    ServerConfig c = parse();
    assertThat(c.webhooks()).isEmpty();
    assertThat(c.webhookSecret()).isNull();
    assertThat(c.push().allowLocal()).isFalse();
    assertThat(c.push().subject()).isEqualTo(PushSettings.DEFAULT_SUBJECT);
    assertThat(c.push().vapidPublicKey()).isNull();
  }

  @Test
  void webhooksAreRepeatableAndCommaSeparated() {
    ServerConfig c = parse("--webhook", "http://127.0.0.1:1/a,https://hooks.example/b",
        "--webhook", "https://hooks.example/c", "--webhook-secret", "0123456789abcdef",
        "--push-allow-local", "--push-subject", "https://parley.example/contact");
    assertThat(c.webhooks()).containsExactly("http://127.0.0.1:1/a", "https://hooks.example/b",
        "https://hooks.example/c");
    assertThat(c.webhookSecret()).isEqualTo("0123456789abcdef");
    assertThat(c.push().allowLocal()).isTrue();
    assertThat(c.push().subject()).isEqualTo("https://parley.example/contact");
    assertThat(c.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void badNotificationSettingsAreRefusedAtStart() {
    assertThatThrownBy(() -> parse("--webhook", "https://hooks.example/a"))
        .hasMessageContaining("webhook-secret");
    assertThatThrownBy(() -> parse("--webhook", "ftp://hooks.example/a", "--webhook-secret", "0123456789abcdef"))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> parse("--webhook", "https://hooks.example/a", "--webhook-secret", "short"))
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> parse("--push-subject", "admin@example.com")).hasMessageContaining("mailto:");
    assertThatThrownBy(() -> parse("--vapid-public-key", "AAAA")).hasMessageContaining("both");
    assertThatThrownBy(() -> parse("--vapid-public-key", "AAAA", "--vapid-private-key", "AAAA"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenVapidKeysAreKept() {
    var keys = dev.parley.core.store.VapidKeys.class; // the pair's form: see docs/notifications.md
    assertThat(keys).isNotNull();
    ServerConfig c = parse("--vapid-public-key",
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "--vapid-private-key", "tUxbf-Mvd4QmjfT-fNnFnH5cd5DjTIb1yGDpdFL1Kx0");
    assertThat(c.push().vapidPublicKey()).startsWith("BNcRdre");
    assertThat(List.of(c.push().toString())).noneMatch(s -> s.contains("tUxbf"));
  }
}
