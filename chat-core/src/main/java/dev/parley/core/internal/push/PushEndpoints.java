package dev.parley.core.internal.push;

import dev.parley.protocol.ChatException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which push endpoints the server may call: {@code https} on a public address, or (when local
 * endpoints are allowed, for tests and local setups) {@code http} or {@code https} on a loopback
 * address. The name is resolved and every address it has is checked, at subscription and again
 * before each send, so a name that later resolves somewhere private is refused then.
 */
public final class PushEndpoints {
  public static final int MAX_ENDPOINT_LENGTH = 2048;
  private final boolean allowLocal;
  private final Resolver resolver;

  /** Turns a host name into its addresses; the system's DNS by default, a stand-in in tests. */
  @FunctionalInterface
  public interface Resolver {
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  public PushEndpoints(boolean allowLocal) {
    this(allowLocal, Resolver.SYSTEM);
  }

  public PushEndpoints(boolean allowLocal, Resolver resolver) {
    this.allowLocal = allowLocal;
    this.resolver = resolver;
  }

  /** The endpoint as a URI, or a {@code bad_request} ChatException saying what is wrong. Resolves the host (blocks). */
  public URI check(String endpoint) {
    if (endpoint == null || endpoint.isEmpty()) {
      throw ChatException.badRequest("endpoint is required");
    }
    if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
      throw ChatException.badRequest("endpoint is longer than " + MAX_ENDPOINT_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw ChatException.badRequest("endpoint is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw ChatException.badRequest("endpoint must be an https URL");
    }
    if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.getRawFragment() != null) {
      throw ChatException.badRequest("endpoint must be an https URL with a host and no user info");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException | SecurityException e) {
      throw ChatException.badRequest("endpoint host does not resolve");
    }
    boolean allLoopback = true;
    for (InetAddress a : addresses) {
      boolean loopback = a.isLoopbackAddress();
      allLoopback &= loopback;
      if (loopback ? !allowLocal : !isPublic(a)) {
        throw ChatException.badRequest("endpoint must be on a public address");
      }
    }
    if (scheme.equals("http") && !(allowLocal && allLoopback)) {
      throw ChatException.badRequest("endpoint must be an https URL");
    }
    return uri;
  }

  /** Not loopback, private, link-local, unique-local, shared (CGNAT), multicast or unspecified. */
  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress()
        || a.isSiteLocalAddress() || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0 && first < 224 // 0/8, multicast and reserved
          && !(first == 100 && second >= 64 && second < 128) // 100.64/10 shared address space
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 protocol assignments
          && !(first == 198 && (second == 18 || second == 19)); // 198.18/15 benchmarking
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // fc00::/7 unique local
      }
      boolean v4Mapped = true;
      for (int i = 0; i < 10; i++) {
        v4Mapped &= b[i] == 0;
      }
      if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
