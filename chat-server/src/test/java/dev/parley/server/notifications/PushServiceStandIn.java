package dev.parley.server.notifications;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * A push service inside the test (RFC 8030): a small HTTP server on loopback that keeps what it
 * receives. It answers each path with the statuses queued for it (201 when none), and {@link
 * Browser} plays the browser: a P-256 key pair and auth secret, and RFC 8291 decryption with them.
 */
final class PushServiceStandIn implements AutoCloseable {
  record Received(String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private final HttpServer http;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
  final AtomicInteger hits = new AtomicInteger();

  PushServiceStandIn() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      String path = exchange.getRequestURI().getPath();
      received.add(new Received(path, headers, body));
      hits.incrementAndGet();
      List<Integer> queue = answers.get(path);
      int status = queue == null || queue.isEmpty() ? 201 : queue.remove(0);
      if (status == 302) {
        exchange.getResponseHeaders().add("Location", origin() + "/redirected" + path);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    http.start();
  }

  String origin() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  String endpoint(String name) {
    return origin() + "/push/" + name;
  }

  /** The next answers for {@code path}, in order; 201 after them. */
  void answer(String path, Integer... statuses) {
    answers.put(path, new CopyOnWriteArrayList<>(statuses));
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    http.stop(0);
  }

  /** Verifies the VAPID token of a push: its signature with {@code publicKeyB64}; returns it. */
  static DecodedJWT verifyVapid(Received r, String publicKeyB64) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.startsWith("vapid t=")) {
      throw new AssertionError("no vapid Authorization: " + auth);
    }
    String[] parts = auth.substring("vapid ".length()).split(",\\s*");
    String t = null;
    String k = null;
    for (String p : parts) {
      if (p.startsWith("t=")) {
        t = p.substring(2);
      } else if (p.startsWith("k=")) {
        k = p.substring(2);
      }
    }
    if (!publicKeyB64.equals(k)) {
      throw new AssertionError("k is not the server's key: " + k);
    }
    ECPublicKey key = Browser.publicKey(Base64.getUrlDecoder().decode(k));
    return JWT.require(Algorithm.ECDSA256(key, null)).build().verify(t);
  }

  /** A browser's side of a subscription. */
  static final class Browser {
    final KeyPair keys;
    final byte[] auth = new byte[16];
    final byte[] publicKey;

    Browser() {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        keys = g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      new SecureRandom().nextBytes(auth);
      ECPublicKey pub = (ECPublicKey) keys.getPublic();
      publicKey = new byte[65];
      publicKey[0] = 4;
      put32(pub.getW().getAffineX(), publicKey, 1);
      put32(pub.getW().getAffineY(), publicKey, 33);
    }

    String subscriptionJson(String endpoint) {
      Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
      return "{\"endpoint\":\"" + endpoint + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\""
          + b.encodeToString(publicKey) + "\",\"auth\":\"" + b.encodeToString(auth) + "\"}}";
    }

    /** RFC 8291 / RFC 8188 decryption of one aes128gcm record. */
    byte[] decrypt(byte[] body) throws GeneralSecurityException {
      ByteBuffer in = ByteBuffer.wrap(body);
      byte[] salt = new byte[16];
      in.get(salt);
      int rs = in.getInt();
      if (rs < 18) {
        throw new AssertionError("record size " + rs);
      }
      int idlen = in.get() & 0xff;
      byte[] asPublic = new byte[idlen];
      in.get(asPublic);
      byte[] ciphertext = new byte[in.remaining()];
      in.get(ciphertext);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(keys.getPrivate());
      ka.doPhase(publicKey(asPublic), true);
      byte[] ecdh = ka.generateSecret();
      byte[] info = ByteBuffer.allocate(14 + 65 + 65)
          .put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII)).put(publicKey).put(asPublic).array();
      byte[] ikm = hkdf(auth, ecdh, info, 32);
      byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
      byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
      byte[] padded = gcm.doFinal(ciphertext);
      int end = padded.length - 1;
      while (end >= 0 && padded[end] == 0) {
        end--;
      }
      if (end < 0 || padded[end] != 2) {
        throw new AssertionError("no last-record delimiter");
      }
      return Arrays.copyOf(padded, end);
    }

    static ECPublicKey publicKey(byte[] uncompressed) {
      try {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
      HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
      g.init(new HKDFParameters(ikm, salt, info));
      byte[] out = new byte[length];
      g.generateBytes(out, 0, length);
      return out;
    }

    private static void put32(BigInteger v, byte[] out, int at) {
      byte[] raw = v.toByteArray();
      int copy = Math.min(raw.length, 32);
      System.arraycopy(raw, raw.length - copy, out, at + 32 - copy, copy);
    }
  }

}
