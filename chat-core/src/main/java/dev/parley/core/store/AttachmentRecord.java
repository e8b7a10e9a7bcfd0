package dev.parley.core.store;

import dev.parley.protocol.model.Attachment;

/** An uploaded file's metadata: who uploaded it, and where its bytes are (relative to the data dir). */
public record AttachmentRecord(Attachment attachment, String uploaderId, String storageKey, long createdAt) {
  public String id() {
    return attachment.id();
  }
}
