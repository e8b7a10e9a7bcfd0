package dev.parley.core.notifications;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Webhook receivers (contract 7.5): every log entry is POSTed to each URL as the JSON of its
 * frame, signed with {@code X-Parley-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 *
 * @param urls the receivers
 * @param secret the HMAC key
 * @param requestTimeout how long a receiver may take to answer before the entry is retried
 * @param retryBase the first retry's delay; each further one doubles, with jitter
 * @param retryMax the longest delay between retries
 */
public record WebhookSettings(List<String> urls, String secret, Duration requestTimeout,
                              Duration retryBase, Duration retryMax) {
  public WebhookSettings {
    urls = List.copyOf(urls);
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(retryMax, "retryMax");
  }

  /** 10 s to answer; retries from 500 ms doubling up to 30 s. */
  public static WebhookSettings of(List<String> urls, String secret) {
    return new WebhookSettings(urls, secret, Duration.ofSeconds(10), Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  @Override
  public String toString() {
    return "WebhookSettings[" + urls.size() + " receivers, secret=***]";
  }
}
