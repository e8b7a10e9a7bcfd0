package dev.parley.core.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.internal.util.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} does, run once per implementation: bytes written in pieces read
 * back whole or from any offset, nothing readable before {@code finish}, deleting and aborting
 * erase, and only stale unfinished blobs are swept.
 */
public abstract class BlobStoreContract {
  /** Over two 256 KiB database chunks, not a multiple of anything. */
  protected static final int SIZE = 600 * 1024 + 123;

  /** The store under test; fresh per test. */
  protected abstract BlobStore store();

  protected static byte[] bytes(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + (i >>> 11));
    }
    return b;
  }

  /** Writes {@code data} in pieces of 10,000 bytes and finishes; returns the key. */
  protected String put(byte[] data) throws IOException {
    String key = Ids.newId();
    BlobStore.Writer w = store().create(key);
    for (int off = 0; off < data.length; off += 10_000) {
      w.write(ByteBuffer.wrap(data, off, Math.min(10_000, data.length - off)));
    }
    w.finish();
    return key;
  }

  protected byte[] read(String key, long offset) throws IOException {
    try (InputStream in = store().open(key, offset)) {
      return in.readAllBytes();
    }
  }

  @Test
  public void readsBackWhatWasWrittenInPiecesFromAnyOffset() throws IOException {
    byte[] data = bytes(SIZE);
    String key = put(data);
    assertThat(read(key, 0)).isEqualTo(data);
    for (int offset : new int[] {1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, SIZE - 1}) {
      assertThat(read(key, offset)).as("from %d", offset)
          .isEqualTo(Arrays.copyOfRange(data, offset, SIZE));
    }
    assertThat(read(key, SIZE)).isEmpty();
  }

  @Test
  public void keepsAnEmptyBlob() throws IOException {
    String key = put(new byte[0]);
    assertThat(read(key, 0)).isEmpty();
  }

  @Test
  public void nothingIsReadableBeforeFinish() throws IOException {
    String key = Ids.newId();
    BlobStore.Writer w = store().create(key);
    w.write(ByteBuffer.wrap(bytes(1000)));
    assertThatThrownBy(() -> store().open(key, 0)).isInstanceOf(NoSuchFileException.class);
    w.abort();
    assertThatThrownBy(() -> store().open(key, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  public void deletingErases() throws IOException {
    String key = put(bytes(SIZE));
    String other = put(bytes(100));
    store().delete(key);
    assertThatThrownBy(() -> store().open(key, 0)).isInstanceOf(NoSuchFileException.class);
    store().delete(key); // again: nothing to do
    store().delete(Ids.newId());
    assertThat(read(other, 0)).isEqualTo(bytes(100));
  }

  @Test
  public void sweepsOnlyStaleUnfinishedBlobs() throws IOException {
    String done = put(bytes(100));
    BlobStore.Writer w = store().create(Ids.newId());
    w.write(ByteBuffer.wrap(bytes(300 * 1024)));
    long now = System.currentTimeMillis();
    assertThat(store().deleteUnfinished(now - Duration.ofHours(1).toMillis())).isZero();
    assertThat(store().deleteUnfinished(now + Duration.ofMinutes(1).toMillis())).isEqualTo(1);
    assertThat(read(done, 0)).isEqualTo(bytes(100));
  }
}
