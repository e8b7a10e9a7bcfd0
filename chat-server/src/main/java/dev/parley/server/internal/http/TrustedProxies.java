package dev.parley.server.internal.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is when the server sits behind proxies ({@code --trusted-proxies}): when the TCP
 * peer is in one of the trusted CIDRs, the client is the rightmost address of
 * {@code X-Forwarded-For} that is not itself a trusted proxy (hops to its left were written by the
 * client, which may lie); otherwise the header is ignored and the client is the TCP peer. With no
 * trusted CIDRs (the default) the header is never read. Immutable, shared by every connection.
 */
public final class TrustedProxies {
  /** A WebSocket connection's client address as resolved at its upgrade, for logs. */
  public static final AttributeKey<String> CLIENT = AttributeKey.valueOf("parley.client-address");

  private static final TrustedProxies NONE = new TrustedProxies(List.of());
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final int MAX_HOPS = 32;

  private final List<Cidr> cidrs;

  private TrustedProxies(List<Cidr> cidrs) {
    this.cidrs = List.copyOf(cidrs);
  }

  /** Trusts no proxy: the client is always the TCP peer. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Parses CIDRs such as {@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code ::1/128} (a bare address
   * means just that address). Throws IllegalArgumentException naming the first invalid one.
   */
  public static TrustedProxies parse(List<String> specs) {
    List<Cidr> out = new ArrayList<>();
    for (String spec : specs) {
      String s = spec.strip();
      if (!s.isEmpty()) {
        out.add(Cidr.parse(s));
      }
    }
    return out.isEmpty() ? NONE : new TrustedProxies(out);
  }

  public boolean isEmpty() {
    return cidrs.isEmpty();
  }

  /** True when {@code address} is in a trusted CIDR. */
  public boolean trusts(InetAddress address) {
    for (Cidr c : cidrs) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The client's address for limits and logs: see the class comment. */
  public String clientAddress(SocketAddress peer, HttpHeaders headers) {
    if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return String.valueOf(peer);
    }
    InetAddress address = socket.getAddress();
    if (cidrs.isEmpty() || headers == null || !trusts(address)) {
      return address.getHostAddress();
    }
    List<String> hops = new ArrayList<>();
    for (String value : headers.getAll("X-Forwarded-For")) {
      for (String hop : value.split(",", MAX_HOPS + 1)) {
        hops.add(hop.strip());
      }
    }
    InetAddress client = address;
    for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
      InetAddress hop = literal(hops.get(i));
      if (hop == null) {
        break; // not an address: nothing to its left can be believed either
      }
      client = hop;
      if (!trusts(hop)) {
        break;
      }
    }
    return client.getHostAddress();
  }

  /** The client address of a channel, as resolved at its upgrade, else its TCP peer. */
  public static String describe(Channel channel) {
    String client = channel.attr(CLIENT).get();
    return client != null ? client : String.valueOf(channel.remoteAddress());
  }

  @Override
  public String toString() {
    return cidrs.isEmpty() ? "none" : cidrs.toString();
  }

  /** An IP literal (never a DNS lookup), or null. Accepts {@code [v6]} and {@code v4:port}. */
  static InetAddress literal(String s) {
    String t = s;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        return null;
      }
      t = t.substring(1, end);
    } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':') && t.indexOf('.') > 0) {
      t = t.substring(0, t.indexOf(':')); // 203.0.113.7:5555
    }
    try {
      if (IPV4.matcher(t).matches()) {
        String[] parts = t.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int v = Integer.parseInt(parts[i]);
          if (v > 255) {
            return null;
          }
          b[i] = (byte) v;
        }
        return InetAddress.getByAddress(b);
      }
      if (IPV6.matcher(t).matches()) {
        return InetAddress.getByName(t); // has a colon: parsed as a literal, never looked up
      }
      return null;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /** An address block: the first {@code bits} bits of {@code network}. */
  private record Cidr(byte[] network, int bits, String text) {
    static Cidr parse(String spec) {
      int slash = spec.indexOf('/');
      String addr = slash < 0 ? spec : spec.substring(0, slash);
      InetAddress a = addr.startsWith("[") ? null : literal(addr);
      if (a == null) {
        throw new IllegalArgumentException("trusted proxy '" + spec
            + "' is not a CIDR: expected an IPv4 or IPv6 address with an optional /prefix,"
            + " e.g. 10.0.0.0/8 or ::1/128");
      }
      int max = a.getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(spec.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > max) {
          throw new IllegalArgumentException("trusted proxy '" + spec + "' has an invalid prefix"
              + " length: expected 0 to " + max);
        }
      }
      return new Cidr(a.getAddress(), bits, spec);
    }

    boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
