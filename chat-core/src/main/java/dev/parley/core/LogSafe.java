package dev.parley.core;

/**
 * Makes configuration values safe to log. The one place that knows how a secret hides in a URL,
 * shared by the store's, the broker's and the server's {@code toString}s.
 */
public final class LogSafe {
  private LogSafe() {
  }

  /**
   * The URL with its secrets replaced by {@code ***}: the password of a user-info part
   * ({@code redis://:secret@host}, {@code postgresql://user:secret@host}) and a {@code password=}
   * parameter ({@code jdbc:postgresql://h/db?user=u&password=secret}, also after {@code ;}). A
   * user-info without a password is kept: a user name is no secret and helps reading logs.
   */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
  }
}
