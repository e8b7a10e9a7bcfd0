package dev.parley.core.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.internal.util.Ids;
import dev.parley.core.store.AppendResult;
import dev.parley.core.store.PendingMessage;
import dev.parley.core.store.jdbc.JdbcChatStore;
import dev.parley.core.store.jdbc.StoreOptions;
import dev.parley.core.testing.MovableClock;
import dev.parley.core.testing.TestDatabase;
import dev.parley.core.testing.TestDatabases;
import dev.parley.protocol.model.Attachment;
import dev.parley.protocol.model.Change;
import dev.parley.protocol.model.ChatThread;
import dev.parley.protocol.model.User;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting erases attachments too: files no message shows are removed from disk (contract 7.2). */
class AttachmentSweepTest {
  @TempDir
  Path dir;
  private TestDatabase db;
  private JdbcChatStore store;
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private AttachmentService attachments;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite();
    store = JdbcChatStore.open(StoreOptions.of(db.url()));
    attachments = new AttachmentService(store, dir, 1 << 20, clock);
  }

  @AfterEach
  void close() {
    store.close();
    db.close();
  }

  private Attachment upload(String uploader) throws Exception {
    AttachmentService.Upload upload = attachments.begin();
    upload.writer().write(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8)));
    return attachments.commit(uploader, upload, 5, "text/plain", "a.txt");
  }

  private AppendResult append(PendingMessage p) {
    return store.appendBatch(List.of(p)).get(0);
  }

  @Test
  void removesTheFilesOfDeletedMessagesAndOfStaleUploadsOnly() throws Exception {
    User alice = store.createUser("alice", "A", "h", clock.millis());
    ChatThread t = store.createGroup("g", alice.id(), List.of(alice.id()), clock.millis());
    Attachment posted = upload(alice.id());
    Attachment kept = upload(alice.id());
    Attachment unposted = upload(alice.id());
    append(new PendingMessage(Ids.newId(), t.id(), alice.id(), "", 1, null, List.of(posted)));
    append(new PendingMessage(Ids.newId(), t.id(), alice.id(), "", 2, null, List.of(kept)));
    assertThat(attachments.sweep()).isZero();

    append(new PendingMessage(Ids.newId(), t.id(), alice.id(), "", 3, null, List.of(), null,
        Change.deleted(1)));
    assertThat(attachments.sweep()).isEqualTo(1);
    assertThat(dir.resolve(posted.id())).doesNotExist();
    assertThat(store.findAttachment(posted.id())).isEmpty();
    assertThat(dir.resolve(kept.id())).exists();
    assertThat(dir.resolve(unposted.id())).exists();

    clock.advance(Duration.ofHours(23));
    assertThat(attachments.sweep()).isZero();
    clock.advance(Duration.ofHours(2));
    assertThat(attachments.sweep()).isEqualTo(1);
    assertThat(dir.resolve(unposted.id())).doesNotExist();
    assertThat(dir.resolve(kept.id())).exists();
  }

  @Test
  void aThumbnailGoesWithItsAttachment() throws Exception {
    User alice = store.createUser("alice", "A", "h", clock.millis());
    Attachment unposted = upload(alice.id());
    BlobStore.Writer thumb = attachments.open(alice.id(), unposted.id()).createThumbnail();
    thumb.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    thumb.finish();
    try (var in = attachments.open(alice.id(), unposted.id()).openThumbnail()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(dir.resolve(unposted.id() + "_thumb")).exists();

    clock.advance(Duration.ofHours(25));
    assertThat(attachments.sweep()).isEqualTo(1);
    assertThat(dir.resolve(unposted.id())).doesNotExist();
    assertThat(dir.resolve(unposted.id() + "_thumb")).doesNotExist();
  }
}
