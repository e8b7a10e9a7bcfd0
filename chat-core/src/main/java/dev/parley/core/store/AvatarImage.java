package dev.parley.core.store;

/**
 * A user's picture as stored: already encoded again by the server (never the uploaded bytes).
 *
 * @param version names this picture in its URL; a new picture gets a new one
 * @param contentType {@code image/jpeg} or {@code image/png}
 * @param bytes the encoded image; not copied, do not change it
 */
public record AvatarImage(String version, String contentType, byte[] bytes) {
}
