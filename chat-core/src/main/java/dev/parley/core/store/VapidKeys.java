package dev.parley.core.store;

/**
 * The server's VAPID key pair (RFC 8292), each half base64url without padding: the public key as
 * an uncompressed P-256 point (65 bytes), the private key as its 32-byte scalar.
 */
public record VapidKeys(String publicKey, String privateKey) {
  @Override
  public String toString() {
    return "VapidKeys[publicKey=" + publicKey + ", privateKey=***]";
  }
}
