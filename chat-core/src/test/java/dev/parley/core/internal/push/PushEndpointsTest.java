package dev.parley.core.internal.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ChatException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PushEndpointsTest {
  private final PushEndpoints strict = new PushEndpoints(false);
  private final PushEndpoints local = new PushEndpoints(true);

  @Test
  void publicHttpsIsAccepted() {
    assertThat(strict.check("https://93.184.215.14/push/abc").getHost()).isEqualTo("93.184.215.14");
  }

  @Test
  void loopbackNeedsTheLocalSetting() {
    for (String url : new String[] {"http://127.0.0.1:9/x", "https://127.0.0.1/x", "https://[::1]/x",
        "http://localhost:9/x"}) {
      assertThatThrownBy(() -> strict.check(url)).isInstanceOf(ChatException.class)
          .hasMessageContaining("public address");
      assertThat(local.check(url)).isNotNull();
    }
  }

  @Test
  void privateLinkLocalAndOddAddressesAreRefusedEvenWithTheLocalSetting() {
    for (String url : new String[] {"https://10.0.0.1/x", "https://172.16.0.1/x", "https://192.168.0.1/x",
        "https://169.254.169.254/latest", "https://100.64.0.1/x", "https://0.0.0.0/x", "https://[fd12::1]/x",
        "https://[fe80::1]/x", "https://[::ffff:10.0.0.1]/x", "https://224.0.0.1/x", "https://[::]/x"}) {
      assertThatThrownBy(() -> local.check(url)).as(url).isInstanceOf(ChatException.class);
    }
  }

  @Test
  void httpOnlyOnLoopbackWithTheLocalSetting() {
    assertThatThrownBy(() -> local.check("http://93.184.215.14/x")).hasMessageContaining("https");
    assertThatThrownBy(() -> strict.check("http://93.184.215.14/x")).hasMessageContaining("https");
  }

  @Test
  void malformedEndpointsAreRefused() {
    for (String url : new String[] {"", "ftp://93.184.215.14/x", "https://user:pw@93.184.215.14/x",
        "not a url", "https:///nohost", "https://93.184.215.14/" + "a".repeat(3000),
        "https://name.invalid/x"}) {
      assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(ChatException.class);
    }
  }

  @Test
  void v4MappedPublicIsPublic() throws Exception {
    assertThat(PushEndpoints.isPublic(InetAddress.getByName("::ffff:93.184.215.14"))).isTrue();
    assertThat(PushEndpoints.isPublic(InetAddress.getByName("::ffff:127.0.0.1"))).isFalse();
  }
}
