package dev.parley.core.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob contract on disk, and what is particular to it: a file to send, keys that are never paths. */
class FileBlobStoreTest extends BlobStoreContract {
  @TempDir
  Path dir;
  private FileBlobStore store;

  @BeforeEach
  void open() {
    store = new FileBlobStore(dir);
  }

  @Override
  protected BlobStore store() {
    return store;
  }

  @Test
  void aFinishedBlobIsAFileOfItsKey() throws IOException {
    String key = put(bytes(10));
    assertThat(store.localFile(key)).isEqualTo(dir.resolve(key)).hasBinaryContent(bytes(10));
  }

  @Test
  void refusesAKeyThatIsAPath() {
    assertThatThrownBy(() -> store.create("../escape")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.open("a/b", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
