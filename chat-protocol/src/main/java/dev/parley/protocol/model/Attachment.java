package dev.parley.protocol.model;

/** An uploaded file as referenced by messages: {@code {"id","contentType","size","filename"}}. */
public record Attachment(String id, String contentType, long size, String filename) {
}
