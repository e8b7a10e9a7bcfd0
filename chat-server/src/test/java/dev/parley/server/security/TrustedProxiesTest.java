package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.ServerConfig;
import dev.parley.server.internal.http.TrustedProxies;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is behind proxies: X-Forwarded-For only from a trusted peer, rightmost untrusted hop. */
class TrustedProxiesTest {
  private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("10.0.0.0/8", "127.0.0.1/32", "::1/128"));

  private static InetSocketAddress peer(String ip) {
    return new InetSocketAddress(ip, 40000);
  }

  private static HttpHeaders xff(String... values) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (String v : values) {
      h.add("X-Forwarded-For", v);
    }
    return h;
  }

  @Test
  void takesTheRightmostUntrustedHopFromATrustedPeer() {
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff("203.0.113.7"))).isEqualTo("203.0.113.7");
    // the client may prepend anything; the hops our proxies appended are on the right
    assertThat(PROXIES.clientAddress(peer("10.1.2.3"), xff("1.1.1.1, 198.51.100.9, 10.9.9.9")))
        .isEqualTo("198.51.100.9");
    assertThat(PROXIES.clientAddress(peer("10.1.2.3"), xff("1.1.1.1", "198.51.100.9, 10.9.9.9")))
        .as("several headers are one list").isEqualTo("198.51.100.9");
    assertThat(PROXIES.clientAddress(peer("::1"), xff("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff("10.0.0.5, 10.0.0.6")))
        .as("every hop trusted: the leftmost").isEqualTo("10.0.0.5");
  }

  @Test
  void ignoresTheHeaderFromAnUntrustedPeer() {
    assertThat(PROXIES.clientAddress(peer("192.0.2.1"), xff("203.0.113.7"))).isEqualTo("192.0.2.1");
    assertThat(TrustedProxies.none().clientAddress(peer("127.0.0.1"), xff("203.0.113.7")))
        .as("no trusted proxies, the default").isEqualTo("127.0.0.1");
  }

  @Test
  void stopsAtAHopThatIsNotAnAddressAndNeverResolvesNames() {
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff("203.0.113.7, example.com")))
        .isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff("999.1.1.1"))).isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff(""))).isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff())).isEqualTo("127.0.0.1");
    assertThat(PROXIES.clientAddress(peer("127.0.0.1"), xff("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void matchesPrefixesBitByBit() {
    TrustedProxies p = TrustedProxies.parse(List.of("192.168.4.0/22"));
    assertThat(p.clientAddress(peer("192.168.7.255"), xff("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(p.clientAddress(peer("192.168.8.0"), xff("203.0.113.7"))).isEqualTo("192.168.8.0");
    assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).clientAddress(peer("8.8.8.8"), xff("203.0.113.7")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void invalidCidrsFailTheConfigurationWithAClearMessage() {
    for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "proxy.internal", "::1/129", "10.0.0.0/x", "300.0.0.1")) {
      assertThatThrownBy(() -> ServerConfig.builder().dataDir(Path.of("data"))
          .trustedProxies(List.of("127.0.0.1/32", bad)).build())
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trusted proxy '" + bad + "'");
    }
    assertThat(ServerConfig.builder().dataDir(Path.of("data")).trustedProxies(List.of("10.0.0.0/8", "::1"))
        .build().trustedProxies()).containsExactly("10.0.0.0/8", "::1");
  }
}
