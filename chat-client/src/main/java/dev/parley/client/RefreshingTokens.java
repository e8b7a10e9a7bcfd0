package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link TokenSupplier} that keeps an access/refresh pair and renews it with
 * {@code POST /api/auth/refresh} (which rotates the refresh token) when the connection's token is
 * expiring or was refused. One refresh at a time: callers that ask while one runs share its
 * answer, so a rotated refresh token is never presented twice (which would end the session).
 */
public final class RefreshingTokens implements TokenSupplier {
  private final URI httpBase;
  private final HttpClient http;
  private String access;
  private String refresh;
  private CompletableFuture<String> refreshing;
  private int refreshes;

  /** Starts from a pair got at login ({@code {"access","refresh"}}); {@code httpBase} is {@code http://host:port}. */
  public RefreshingTokens(URI httpBase, String access, String refresh) {
    this(httpBase, access, refresh, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  RefreshingTokens(URI httpBase, String access, String refresh, HttpClient http) {
    this.httpBase = httpBase;
    this.access = access;
    this.refresh = refresh;
    this.http = http;
  }

  /** Logs in with {@code POST /api/auth/login}; fails with a {@link ChatException} on 401. */
  public static CompletableFuture<RefreshingTokens> login(URI httpBase, String username, String password) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return post(http, httpBase, "/api/auth/login", Map.of("username", username, "password", password))
        .thenApply(pair -> new RefreshingTokens(httpBase, pair.get("access").asText(),
            pair.get("refresh").asText(), http));
  }

  @Override
  public synchronized CompletionStage<String> accessToken(Reason reason) {
    if (reason == Reason.CONNECT) {
      return CompletableFuture.completedFuture(access);
    }
    return refresh();
  }

  /** Renews the pair now (or joins the renewal under way); completes with the new access token. */
  public synchronized CompletableFuture<String> refresh() {
    if (refreshing != null) {
      return refreshing;
    }
    CompletableFuture<String> f = post(http, httpBase, "/api/auth/refresh", Map.of("refresh", refresh))
        .thenApply(this::store);
    refreshing = f;
    f.whenComplete((t, e) -> {
      synchronized (this) {
        refreshing = null;
      }
    });
    return f;
  }

  /** How many refreshes succeeded. */
  public synchronized int refreshes() {
    return refreshes;
  }

  public synchronized String currentAccessToken() {
    return access;
  }

  private synchronized String store(JsonNode pair) {
    access = pair.get("access").asText();
    refresh = pair.get("refresh").asText();
    refreshes++;
    return access;
  }

  private static CompletableFuture<JsonNode> post(HttpClient http, URI base, String path, Map<String, String> body) {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != 200) {
        ErrorCode code = r.statusCode() == 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.UNAVAILABLE;
        throw new ChatException(code, path + " answered HTTP " + r.statusCode());
      }
      try {
        return Json.mapper().readTree(r.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
