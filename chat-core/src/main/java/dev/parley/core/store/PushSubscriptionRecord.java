package dev.parley.core.store;

/**
 * A browser's push subscription: where to POST (the push service's endpoint) and the keys that
 * encrypt for it (RFC 8291), {@code p256dh} and {@code auth} base64url as the browser gave them.
 */
public record PushSubscriptionRecord(String id, String userId, String endpoint, String p256dh,
                                     String auth, long createdAt) {
}
