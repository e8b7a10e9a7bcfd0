package dev.parley.server.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * A response body read from a blocking source (a database, a bucket) as it is sent: {@code length}
 * bytes from byte {@code offset} of what {@code source} opens, read on {@code worker} and written
 * as the connection drains. See {@link StreamedBodyWriter}.
 */
public record StreamedBody(Source source, long offset, long length, Executor worker) {
  /** Opens the bytes from an offset; blocks. */
  @FunctionalInterface
  public interface Source {
    InputStream open(long offset) throws IOException;
  }
}
