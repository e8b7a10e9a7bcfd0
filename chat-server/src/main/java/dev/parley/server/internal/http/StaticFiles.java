package dev.parley.server.internal.http;

import dev.parley.protocol.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web client from the classpath folder {@code web/}. Only plain names of the form
 * {@code [A-Za-z0-9_.-]+} separated by single slashes are looked up, so no path from a request
 * can climb out of that folder. Files are small and cached in memory after the first read.
 */
public final class StaticFiles {
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json",
      "webmanifest", "application/manifest+json");

  private final String root;
  private final HttpResponses responses;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  public StaticFiles(String classpathRoot, HttpResponses responses) {
    this.root = classpathRoot.endsWith("/") ? classpathRoot : classpathRoot + "/";
    this.responses = responses;
  }

  /** Answers a GET or HEAD for a path outside {@code /api/}. */
  public void serve(Channel channel, HttpMethod method, String path, boolean keepAlive) {
    boolean head = HttpMethod.HEAD.equals(method);
    if (!head && !HttpMethod.GET.equals(method)) {
      responses.methodNotAllowed(channel, keepAlive);
      return;
    }
    String name = path.equals("/") || path.isEmpty() ? "/index.html" : path;
    if (!SAFE_PATH.matcher(name).matches()) {
      responses.error(channel, ErrorCode.NOT_FOUND, "no such file", keepAlive);
      return;
    }
    Optional<byte[]> content = cache.computeIfAbsent(name, this::load);
    if (content.isEmpty()) {
      responses.error(channel, ErrorCode.NOT_FOUND, "no such file", keepAlive);
      return;
    }
    byte[] bytes = content.get();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(name));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    SecurityHeaders.app(response.headers());
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    responses.write(channel, response, keepAlive);
  }

  private Optional<byte[]> load(String name) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + name.substring(1))) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }
}
