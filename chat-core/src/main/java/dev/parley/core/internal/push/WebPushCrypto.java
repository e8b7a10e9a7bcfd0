package dev.parley.core.internal.push;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.parley.core.store.VapidKeys;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/** P-256 keys, RFC 8291 {@code aes128gcm} encryption and the RFC 8292 VAPID header. */
public final class WebPushCrypto {
  /** Record size announced in the header; a push message is one record. */
  private static final int RECORD_SIZE = 4096;
  private static final ECParameterSpec P256 = p256();
  private static final ECNamedCurveParameterSpec BC_P256 = ECNamedCurveTable.getParameterSpec("secp256r1");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private WebPushCrypto() {
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is not available", e);
    }
  }

  /** Decodes base64url with or without padding (browsers give it without); null when malformed. */
  public static byte[] base64Url(String s) {
    try {
      return Base64.getUrlDecoder().decode(s.endsWith("=") ? s.replace("=", "") : s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static String base64Url(byte[] b) {
    return B64.encodeToString(b);
  }

  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a P-256 key pair", e);
    }
  }

  /** A fresh VAPID pair in the form the store keeps. */
  public static VapidKeys generateVapidKeys() {
    KeyPair kp = generateKeyPair();
    byte[] d = unsigned32(((ECPrivateKey) kp.getPrivate()).getS());
    return new VapidKeys(base64Url(uncompressed((ECPublicKey) kp.getPublic())), base64Url(d));
  }

  /** The 65-byte uncompressed form {@code 04 || X || Y}. */
  public static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    System.arraycopy(unsigned32(key.getW().getAffineX()), 0, out, 1, 32);
    System.arraycopy(unsigned32(key.getW().getAffineY()), 0, out, 33, 32);
    return out;
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  /**
   * A public key from its uncompressed form; throws IllegalArgumentException when the bytes are
   * not 65 long, not uncompressed, or not a point on P-256 (Bouncy Castle checks the curve).
   */
  public static ECPublicKey publicKey(byte[] uncompressed) {
    if (uncompressed == null || uncompressed.length != 65 || uncompressed[0] != 4) {
      throw new IllegalArgumentException("not an uncompressed P-256 point");
    }
    org.bouncycastle.math.ec.ECPoint point;
    try {
      point = BC_P256.getCurve().decodePoint(uncompressed).normalize();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a point on P-256");
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("not a point on P-256");
    }
    try {
      ECPoint w = new ECPoint(point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger());
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a point on P-256");
    }
  }

  public static ECPrivateKey privateKey(byte[] scalar) {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), P256));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 private key");
    }
  }

  /** The VAPID pair as keys; throws IllegalArgumentException when it does not decode. */
  public static KeyPair vapidKeyPair(VapidKeys keys) {
    byte[] pub = base64Url(keys.publicKey());
    byte[] priv = base64Url(keys.privateKey());
    if (priv == null || priv.length != 32) {
      throw new IllegalArgumentException("the VAPID private key must be 32 bytes, base64url");
    }
    return new KeyPair(publicKey(pub), privateKey(priv));
  }

  /**
   * Encrypts {@code plaintext} for a subscription (RFC 8291, {@code aes128gcm} of RFC 8188, one
   * record): {@code salt(16) || rs(4) || idlen(1) || as_public(65) || ciphertext}.
   */
  public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
    try {
      ECPublicKey ua = publicKey(uaPublic);
      KeyPair as = generateKeyPair();
      byte[] asPublic = uncompressed((ECPublicKey) as.getPublic());
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(as.getPrivate());
      ka.doPhase(ua, true);
      byte[] ecdhSecret = ka.generateSecret();
      byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
      byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
      byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
      byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
      padded[plaintext.length] = 2; // the last (and only) record's delimiter
      byte[] ciphertext = gcm.doFinal(padded);
      ByteBuffer out = ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + ciphertext.length);
      out.put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(ciphertext);
      return out.array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("push encryption failed", e);
    }
  }

  /** HKDF-SHA256 (RFC 5869), Bouncy Castle's. */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  /**
   * The RFC 8292 {@code Authorization} value: {@code vapid t=<ES256 JWT>, k=<public key>}, the
   * token's {@code aud} the endpoint's origin, {@code exp} {@code expiresAt}, {@code sub} the
   * contact.
   */
  public static String vapidAuthorization(KeyPair vapid, String publicKeyB64, String origin,
                                          String subject, Instant expiresAt) {
    String jwt = JWT.create()
        .withAudience(origin)
        .withExpiresAt(expiresAt)
        .withSubject(subject)
        .sign(Algorithm.ECDSA256((ECPublicKey) vapid.getPublic(), (ECPrivateKey) vapid.getPrivate()));
    return "vapid t=" + jwt + ", k=" + publicKeyB64;
  }
}
