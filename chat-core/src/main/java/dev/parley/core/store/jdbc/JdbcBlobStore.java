package dev.parley.core.store.jdbc;

import dev.parley.core.attachments.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Blobs in the store's own database ({@code attachment_blobs} and {@code attachment_chunks}), so
 * that every node sharing a PostgreSQL database reads every attachment. A blob is written one
 * chunk row at a time as its bytes arrive ({@value #CHUNK_SIZE} bytes each, one chunk buffered)
 * and read one chunk row at a time as its reader asks: never the whole blob in memory. Each
 * statement borrows a pooled connection and gives it back, so a slow upload or download holds no
 * connection between chunks. Made by {@link JdbcChatStore#blobStore()}; closing it leaves the
 * store open.
 */
public final class JdbcBlobStore implements BlobStore {
  /** Bytes per chunk row. */
  public static final int CHUNK_SIZE = 256 * 1024;

  private final DataSource dataSource;
  private final BooleanSupplier storeClosed;
  private final int chunkSize;

  JdbcBlobStore(DataSource dataSource, BooleanSupplier storeClosed, int chunkSize) {
    this.dataSource = dataSource;
    this.storeClosed = storeClosed;
    this.chunkSize = chunkSize;
  }

  @Override
  public Writer create(String key) throws IOException {
    update("INSERT INTO attachment_blobs (blob_key, size, chunk_size, complete, created_at)"
        + " VALUES (?, 0, ?, 0, ?)", key, chunkSize, System.currentTimeMillis());
    return new ChunkWriter(key);
  }

  /** Buffers one chunk; each full chunk becomes a row. */
  private final class ChunkWriter implements Writer {
    private final String key;
    private final byte[] chunk = new byte[chunkSize];
    private int filled;
    private int next;
    private long size;

    ChunkWriter(String key) {
      this.key = key;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        int n = Math.min(bytes.remaining(), chunkSize - filled);
        bytes.get(chunk, filled, n);
        filled += n;
        size += n;
        if (filled == chunkSize) {
          flush();
        }
      }
    }

    private void flush() throws IOException {
      byte[] data = filled == chunk.length ? chunk : Arrays.copyOf(chunk, filled);
      update("INSERT INTO attachment_chunks (blob_key, n, data) VALUES (?, ?, ?)", key, next, data);
      next++;
      filled = 0;
    }

    @Override
    public void finish() throws IOException {
      if (filled > 0) {
        flush();
      }
      if (update("UPDATE attachment_blobs SET size = ?, complete = 1 WHERE blob_key = ?", size, key) != 1) {
        throw new IOException("blob " + key + " was erased while it was written");
      }
    }

    @Override
    public void abort() {
      try {
        delete(key);
      } catch (IOException ignored) {
        // left unfinished: deleteUnfinished erases it later
      }
    }
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    long size;
    int blobChunk;
    try (Connection c = connection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT size, chunk_size FROM attachment_blobs WHERE blob_key = ? AND complete = 1")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchFileException(key);
        }
        size = rs.getLong(1);
        blobChunk = rs.getInt(2);
      }
    } catch (SQLException e) {
      throw failed("open", e);
    }
    return new ChunkReader(key, size, blobChunk, Math.min(Math.max(offset, 0), size));
  }

  /** Reads the chunk rows one by one, each when the one before is used up. */
  private final class ChunkReader extends InputStream {
    private final String key;
    private final long size;
    private final int blobChunk;
    private long position;
    private byte[] chunk;
    private int chunkOffset;

    ChunkReader(String key, long size, int blobChunk, long offset) {
      this.key = key;
      this.size = size;
      this.blobChunk = blobChunk;
      this.position = offset;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= size) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (chunk == null || chunkOffset >= chunk.length) {
        chunk = readChunk((int) (position / blobChunk));
        chunkOffset = (int) (position % blobChunk);
        if (chunkOffset >= chunk.length) {
          throw new IOException("blob " + key + " has a short chunk");
        }
      }
      int n = Math.min(len, chunk.length - chunkOffset);
      System.arraycopy(chunk, chunkOffset, b, off, n);
      chunkOffset += n;
      position += n;
      return n;
    }

    @Override
    public int available() {
      return chunk == null ? 0 : chunk.length - chunkOffset;
    }

    private byte[] readChunk(int n) throws IOException {
      try (Connection c = connection();
           PreparedStatement ps = c.prepareStatement(
               "SELECT data FROM attachment_chunks WHERE blob_key = ? AND n = ?")) {
        ps.setString(1, key);
        ps.setInt(2, n);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NoSuchFileException(key, null, "chunk " + n + " is gone (erased meanwhile?)");
          }
          return rs.getBytes(1);
        }
      } catch (SQLException e) {
        throw failed("read", e);
      }
    }
  }

  @Override
  public void delete(String key) throws IOException {
    // chunks first: without the cascade (SQLite with foreign keys off) nothing is left behind
    update("DELETE FROM attachment_chunks WHERE blob_key = ?", key);
    update("DELETE FROM attachment_blobs WHERE blob_key = ?", key);
  }

  @Override
  public int deleteUnfinished(long startedBefore) throws IOException {
    List<String> keys = new ArrayList<>();
    try (Connection c = connection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT blob_key FROM attachment_blobs WHERE complete = 0 AND created_at < ? LIMIT 500")) {
      ps.setLong(1, startedBefore);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw failed("sweep", e);
    }
    for (String key : keys) {
      delete(key);
    }
    return keys.size();
  }

  @Override
  public String describe() {
    return "database";
  }

  private int update(String sql, Object... params) throws IOException {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed("write", e);
    }
  }

  private Connection connection() throws SQLException {
    if (storeClosed.getAsBoolean()) {
      throw new SQLException("the store is closed");
    }
    return dataSource.getConnection();
  }

  private static IOException failed(String what, SQLException e) {
    return new IOException("attachment " + what + " failed in the database: " + e.getMessage(), e);
  }
}
