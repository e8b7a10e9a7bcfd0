package dev.parley.core.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.internal.push.PushEndpoints;
import dev.parley.core.internal.push.WebPushCrypto;
import dev.parley.core.testing.EngineFixture;
import dev.parley.core.testing.TestUser;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.Message;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding (issue 17, bad input): a push endpoint's name that resolved to a public address
 * when the browser subscribed, but resolves to loopback when a push is due, is not called. The
 * "push service" is a plain listener on loopback that records every connection it gets.
 */
class PushSendTimeResolutionTest {
  private static final InetAddress PUBLIC = address("93.184.215.14");

  @Test
  void aNameThatNowResolvesToLoopbackIsNotCalledButOneThatStillResolvesPubliclyIs() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (EngineFixture f = EngineFixture.create();
         ServerSocket listener = new ServerSocket(0, 50, loopback)) {
      List<Integer> connections = new CopyOnWriteArrayList<>(); // the peers' ports, in order
      Thread acceptor = new Thread(() -> {
        while (!listener.isClosed()) {
          try (Socket s = listener.accept()) {
            connections.add(s.getPort());
          } catch (java.io.IOException closed) {
            return;
          }
        }
      }, "stand-in-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();

      // the HTTP client resolves names itself, with the system's DNS: "localhost" reaches the
      // listener when it is called; what our resolver says "localhost" is, is up to the test
      AtomicReference<InetAddress[]> answer = new AtomicReference<>(new InetAddress[] {PUBLIC});
      PushEndpoints.Resolver resolver = name -> name.equals("localhost") ? answer.get() : InetAddress.getAllByName(name);
      String endpoint = "https://localhost:" + listener.getLocalPort() + "/push/bob";
      try (PushService push = new PushService(f.store(), f.engine().presence(),
          new PushSettings(null, null, PushSettings.DEFAULT_SUBJECT, false), Clock.systemUTC(), 1, resolver)) {
        TestUser alice = f.register("alice");
        TestUser bob = f.register("bob");
        ChatThread thread = f.direct(alice, bob);
        push.subscribe(bob.id(), subscription(endpoint)); // accepted: the name is public now

        answer.set(new InetAddress[] {loopback}); // rebound
        push.messageStored(message(thread, alice, 1));
        await().until(() -> push.messagesHandled() == 1);
        assertThat(push.pushesFailed()).isEqualTo(1);
        assertThat(push.pushesSent()).isZero();
        // a connection made during the send would be queued before this probe's
        try (Socket probe = new Socket(loopback, listener.getLocalPort())) {
          await().until(() -> connections.contains(probe.getLocalPort()));
          assertThat(connections).containsExactly(probe.getLocalPort());
        }

        // the control: while the name resolves publicly, the same subscription is called
        answer.set(new InetAddress[] {PUBLIC});
        push.messageStored(message(thread, alice, 2));
        await().until(() -> connections.size() >= 2);
      }
    }
  }

  private static byte[] subscription(String endpoint) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String p256dh = WebPushCrypto.base64Url(WebPushCrypto.uncompressed((ECPublicKey) g.generateKeyPair().getPublic()));
    byte[] auth = new byte[16];
    new SecureRandom().nextBytes(auth);
    return ("{\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + p256dh + "\",\"auth\":\""
        + WebPushCrypto.base64Url(auth) + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  private static Message message(ChatThread thread, TestUser sender, long seq) {
    return new Message("m" + seq, thread.id(), seq, sender.id(), "hello " + seq, System.currentTimeMillis(),
        "c" + seq, List.of(), null, null, false, Map.of(), null);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
