package dev.parley.bench.load;

import dev.parley.client.transport.FrameHandler;
import dev.parley.client.transport.WsConnection;
import dev.parley.client.transport.WsTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * chat-bench's connections: chat-client's {@link WsTransport} (many connections on a few event
 * loops), optionally spreading the source addresses over 127.0.0.1-250 so that one machine can
 * open more connections than one source address has ports. Given several servers (nodes of one
 * cluster), connection i goes to server {@code i % n}.
 */
final class BenchConnections implements AutoCloseable {
  private final WsTransport transport;
  private final List<URI> wsUris;
  private final boolean spreadSources;

  BenchConnections(URI httpUrl, int eventLoops, boolean spreadSources) {
    this(List.of(httpUrl), eventLoops, spreadSources);
  }

  BenchConnections(List<URI> httpUrls, int eventLoops, boolean spreadSources) {
    // the frames come from the server under test and are only scanned for ASCII fields:
    // checking their UTF-8 would cost chat-bench a tenth of its core (scenario A)
    this.transport = new WsTransport(eventLoops, false);
    this.wsUris = httpUrls.stream().map(WsTransport::webSocketUri).toList();
    this.spreadSources = spreadSources;
  }

  /** Which server connection {@code index} goes to: its position in the list of URLs. */
  int nodeOf(int index) {
    return index % wsUris.size();
  }

  /** Opens connection {@code index} with an access token; completes once {@code hello} arrived. */
  CompletableFuture<WsConnection> connect(int index, String token, FrameHandler handler) {
    InetSocketAddress source = spreadSources ? new InetSocketAddress("127.0.0." + (1 + index % 250), 0) : null;
    return transport.connect(wsUris.get(nodeOf(index)), token, index, source, handler);
  }

  @Override
  public void close() {
    transport.close();
  }
}
