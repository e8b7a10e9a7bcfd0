package dev.parley.server.internal.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The protective headers, in one place. A response that knows what it carries sets its own
 * policy ({@link #app} for the web client, {@link #userContent} for uploaded bytes); this
 * outbound handler, just after the HTTP codec, is the backstop that gives every other HTTP
 * response (REST, errors, refused upgrades, Netty's own answers) {@code nosniff},
 * {@code no-referrer} and a CSP under which nothing can run or be framed. Stateless and shared.
 */
@ChannelHandler.Sharable
public final class SecurityHeaders extends ChannelOutboundHandlerAdapter {
  /** The shared instance. */
  public static final SecurityHeaders INSTANCE = new SecurityHeaders();

  /** The web client: its own scripts, styles and images only; no inline script, no framing. */
  public static final String APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
      + "object-src 'none'; frame-src 'none'; worker-src 'self'; frame-ancestors 'none'; "
      + "base-uri 'none'; form-action 'self'";
  /** API answers and anything else that is not a page: nothing in it may load or run. */
  public static final String NONE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
  /**
   * Uploaded bytes: a sandbox without allow-scripts gives the document an opaque origin and no
   * script, so even a page the browser renders can reach neither this origin's storage nor its
   * cookies; default-src 'none' stops it loading anything (no beacons).
   */
  public static final String USER_CONTENT_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'; "
      + "base-uri 'none'; form-action 'none'";

  private static final String CSP = "Content-Security-Policy";
  private static final String NOSNIFF = "X-Content-Type-Options";
  private static final String REFERRER = "Referrer-Policy";
  private static final String FRAME_OPTIONS = "X-Frame-Options";

  private SecurityHeaders() {
  }

  /** Headers of the web client's own files. */
  public static void app(HttpHeaders h) {
    h.set(CSP, APP_CSP);
    common(h);
  }

  /** Headers of uploaded content, whatever it is. */
  public static void userContent(HttpHeaders h) {
    h.set(CSP, USER_CONTENT_CSP);
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    common(h);
  }

  private static void common(HttpHeaders h) {
    h.set(NOSNIFF, "nosniff");
    h.set(REFERRER, "no-referrer");
    h.set(FRAME_OPTIONS, "DENY");
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response
        && !HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
      HttpHeaders h = response.headers();
      if (!h.contains(CSP)) {
        h.set(CSP, NONE_CSP);
      }
      h.set(NOSNIFF, "nosniff");
      if (!h.contains(REFERRER)) {
        h.set(REFERRER, "no-referrer");
      }
      if (!h.contains(FRAME_OPTIONS)) {
        h.set(FRAME_OPTIONS, "DENY");
      }
    }
    ctx.write(msg, promise);
  }
}
