package dev.parley.protocol.model;

/** A user as clients see it: {@code {"id","username","displayName"}}. */
public record User(String id, String username, String displayName) {
}
